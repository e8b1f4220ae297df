/*
 * A bounded queue between one producing and one consuming thread, over the
 * slots of a ring the caller owns: the queue hands out slot numbers, so
 * the slots' memory is reused and never copied.  Either side can stop the
 * other: the producer by closing with its result, the consumer by giving
 * slots back with a reason to stop.
 */
#ifndef KITH_QUEUE_H
#define KITH_QUEUE_H

#include <pthread.h>
#include <stddef.h>

typedef struct kith_queue {
	pthread_mutex_t lock;
	pthread_cond_t changed; /* a slot came or went, the producer closed, or the consumer stopped */
	int waiting;            /* threads waiting on changed: no signal is sent to nobody */
	size_t capacity;        /* slots in the ring */
	size_t head, count;     /* the oldest filled slot, and how many are filled */
	int closed;             /* the producer is done */
	int result;             /* the producer's result, once closed */
	int stop;               /* non-zero: the consumer's reason for the producer to stop */
} kith_queue;

/* 0, or KITH_ENOMEM when the lock or condition cannot be made. */
int kith_queue_init(kith_queue *q, size_t capacity);
void kith_queue_release(kith_queue *q);

/* Producer: the slot to fill next, in *slot, waiting while all are full; 0, or the consumer's reason to stop. */
int kith_queue_reserve(kith_queue *q, size_t *slot);
/* Producer: hands the slot reserved last to the consumer. */
void kith_queue_push(kith_queue *q);
/* Producer: waits until the consumer has given back every slot pushed; 0, or its reason to stop. */
int kith_queue_drain(kith_queue *q);
/* Producer: the consumer's reason to stop, or 0. */
int kith_queue_stopped(kith_queue *q);
/* Producer: nothing more will come; result is how it ended (0: well). */
void kith_queue_close(kith_queue *q, int result);

/*
 * Consumer: waits for filled slots and returns how many there are, the
 * first in *first (they follow it round the ring).  0 once the producer has
 * closed and nothing is left, or when it closed with a non-zero result:
 * what it left is then not worth taking.
 */
size_t kith_queue_wait(kith_queue *q, size_t *first);
/* Consumer: gives the n oldest filled slots back; a non-zero stop asks the producer to stop. */
void kith_queue_give_back(kith_queue *q, size_t n, int stop);

#endif
