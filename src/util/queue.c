/*
 * The producer-consumer queue (see queue.h).
 */
#include "util/queue.h"

#include <string.h>

#include "kith/common.h"

int kith_queue_init(kith_queue *q, size_t capacity)
{
	memset(q, 0, sizeof(*q));
	q->capacity = capacity;
	if (pthread_mutex_init(&q->lock, NULL) != 0)
		return KITH_ENOMEM;
	if (pthread_cond_init(&q->changed, NULL) != 0) {
		pthread_mutex_destroy(&q->lock);
		return KITH_ENOMEM;
	}
	return 0;
}

void kith_queue_release(kith_queue *q)
{
	pthread_cond_destroy(&q->changed);
	pthread_mutex_destroy(&q->lock);
}

/* Both with the lock held. */
static void wait_for_change(kith_queue *q)
{
	q->waiting++;
	pthread_cond_wait(&q->changed, &q->lock);
	q->waiting--;
}

static void announce_change(kith_queue *q)
{
	if (q->waiting)
		pthread_cond_broadcast(&q->changed);
}

int kith_queue_reserve(kith_queue *q, size_t *slot)
{
	int stop;

	pthread_mutex_lock(&q->lock);
	while (q->count == q->capacity && !q->stop)
		wait_for_change(q);
	stop = q->stop;
	if (!stop)
		*slot = (q->head + q->count) % q->capacity;
	pthread_mutex_unlock(&q->lock);
	return stop;
}

void kith_queue_push(kith_queue *q)
{
	pthread_mutex_lock(&q->lock);
	q->count++;
	announce_change(q);
	pthread_mutex_unlock(&q->lock);
}

int kith_queue_drain(kith_queue *q)
{
	int stop;

	pthread_mutex_lock(&q->lock);
	while (q->count && !q->stop)
		wait_for_change(q);
	stop = q->stop;
	pthread_mutex_unlock(&q->lock);
	return stop;
}

int kith_queue_stopped(kith_queue *q)
{
	int stop;

	pthread_mutex_lock(&q->lock);
	stop = q->stop;
	pthread_mutex_unlock(&q->lock);
	return stop;
}

void kith_queue_close(kith_queue *q, int result)
{
	pthread_mutex_lock(&q->lock);
	q->result = result;
	q->closed = 1;
	announce_change(q);
	pthread_mutex_unlock(&q->lock);
}

size_t kith_queue_wait(kith_queue *q, size_t *first)
{
	size_t ready;

	pthread_mutex_lock(&q->lock);
	while (!q->count && !q->closed)
		wait_for_change(q);
	ready = q->closed && q->result ? 0 : q->count;
	*first = q->head;
	pthread_mutex_unlock(&q->lock);
	return ready;
}

void kith_queue_give_back(kith_queue *q, size_t n, int stop)
{
	pthread_mutex_lock(&q->lock);
	q->head = (q->head + n) % q->capacity;
	q->count -= n;
	q->stop = stop;
	announce_change(q);
	pthread_mutex_unlock(&q->lock);
}
