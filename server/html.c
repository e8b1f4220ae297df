/*
 * Writing HTML: escaping every text that comes from a feed or a person,
 * the frame every page shares, and the style sheet, built into the binary
 * (no request leaves the machine).  The look follows the NHS design
 * system's spirit: plain type, blue links, clear focus, large targets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server_int.h"

void srv_html(FILE *out, const char *text)
{
	for (; text && *text; text++) {
		switch (*text) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default: fputc(*text, out); break;
		}
	}
}

void srv_page_open(FILE *out, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
	      out);
	srv_html(out, title);
	fputs(" - kith</title>\n<link rel=\"stylesheet\" href=\"/style.css\">\n</head>\n<body>\n"
	      "<a class=\"skip\" href=\"#main\">Skip to main content</a>\n"
	      "<header class=\"top\"><div class=\"width\"><a class=\"brand\" href=\"/\">kith</a> "
	      "<span class=\"strap\">groups and services for the person in front of you</span>"
	      "<nav aria-label=\"Site\"><a href=\"/\">New search</a> <a href=\"/maintain\">The directory</a></nav>"
	      "</div></header>\n<main id=\"main\" class=\"width\">\n",
	      out);
}

void srv_page_close(FILE *out)
{
	fputs("</main>\n<footer class=\"width foot\"><p>Nothing about the person is kept: not on this computer, "
	      "not in a log.</p></footer>\n</body>\n</html>\n",
	      out);
}

void srv_error_page(srv_response *res, int status, const char *title, const char *detail)
{
	char *body = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&body, &size);

	if (!f) {
		srv_respond(res, status, "text/plain; charset=utf-8", NULL, 0);
		return;
	}
	srv_page_open(f, title);
	fputs("<h1>", f);
	srv_html(f, title);
	fputs("</h1>\n", f);
	if (detail) {
		fputs("<p>", f);
		srv_html(f, detail);
		fputs("</p>\n", f);
	}
	fputs("<p><a href=\"/\">Start a new search</a></p>\n", f);
	srv_page_close(f);
	fclose(f);
	srv_respond(res, status, "text/html; charset=utf-8", body, size);
}

static const char css[] =
	":root{--blue:#005eb8;--dark:#003087;--text:#212b32;--grey:#4c6272;--pale:#f0f4f5;--line:#d8dde0;"
	"--focus:#ffeb3b;--red:#d5281b;--green:#007f3b}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;font-family:Arial,Helvetica,sans-serif;font-size:19px;line-height:1.47;color:var(--text);"
	"background:var(--pale)}\n"
	".width{max-width:960px;margin:0 auto;padding:0 16px}\n"
	".skip{position:absolute;left:-9999px}.skip:focus{left:8px;top:8px;background:var(--focus);padding:8px;"
	"z-index:9}\n"
	".top{background:var(--blue);color:#fff;padding:12px 0}.top a{color:#fff}\n"
	".brand{font-weight:bold;font-size:28px;text-decoration:none;margin-right:12px}\n"
	".strap{font-size:16px}.top nav{float:right;font-size:16px}.top nav a{margin-left:16px}\n"
	"main{padding:24px 16px 48px;background:#fff;min-height:60vh}\n"
	"h1{font-size:36px;line-height:1.2;margin:0 0 24px}h2{font-size:26px;margin:32px 0 16px}"
	"h3{font-size:21px;margin:0 0 8px}\n"
	"a{color:var(--blue)}a:visited{color:#330072}a:hover{color:#7c2855}\n"
	"a:focus,button:focus,input:focus,select:focus,textarea:focus,summary:focus{outline:4px solid var(--focus);"
	"outline-offset:0;box-shadow:0 4px 0 var(--text)}\n"
	"fieldset{border:0;margin:0 0 24px;padding:0}legend{font-weight:bold;font-size:21px;margin-bottom:8px}\n"
	"label{display:block;font-weight:bold;margin:16px 0 4px}.hint{color:var(--grey);margin:0 0 8px;"
	"font-size:16px}\n"
	"input[type=text],input[type=number],input[type=tel],select,textarea{font:inherit;border:2px solid "
	"var(--text);padding:4px 8px;min-height:40px;width:100%;max-width:32em;background:#fff;color:var(--text)}\n"
	"textarea{min-height:96px}input.short{max-width:8em}\n"
	".choices{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:4px 16px}\n"
	".choice{display:flex;align-items:flex-start;gap:8px;font-weight:normal;margin:4px 0}"
	".choice input{width:24px;height:24px;margin:2px 0 0;flex:none}\n"
	".choice label{font-weight:normal;margin:0}\n"
	"table{border-collapse:collapse;margin:8px 0 16px}th,td{border-bottom:1px solid var(--line);padding:6px "
	"10px;text-align:left;vertical-align:top}\n"
	"table.grid td{text-align:center}table.grid input{width:24px;height:24px}\n"
	"button,.button{font:inherit;font-weight:bold;background:var(--green);color:#fff;border:0;"
	"border-bottom:4px solid #00401e;padding:10px 18px;cursor:pointer;margin:8px 8px 8px 0;display:inline-block;"
	"text-decoration:none}\n"
	"button.secondary{background:var(--grey);border-bottom-color:#263139}\n"
	".card{border:1px solid var(--line);border-left:6px solid var(--blue);padding:16px 20px;margin:0 0 16px;"
	"background:#fff}\n"
	".card h2{font-size:24px;margin:0 0 8px}.card h2 "
	".rank{display:inline-block;min-width:1.6em;background:var(--blue);color:#fff;text-align:center;"
	"border-radius:50%;margin-right:8px}\n"
	".why{margin:4px 0 8px;padding-left:20px}.facts{margin:0}.facts dt{font-weight:bold;float:left;"
	"clear:left;width:6em}.facts dd{margin:0 0 4px 6.5em}\n"
	".caution{border-left:4px solid #ffb81c;background:#fff9c4;padding:4px 10px;margin:6px 0}\n"
	".notice{border:4px solid var(--blue);padding:12px 16px;margin:16px 0}.error{border-color:var(--red)}\n"
	".score{color:var(--grey);font-size:16px}.map svg{max-width:100%;height:auto;border:1px solid "
	"var(--line)}\n"
	".foot{font-size:16px;color:var(--grey);padding:16px}.gaps .key{color:var(--grey);font-size:16px}\n"
	".notes{border-left:8px solid #ffeb3b;background:var(--pale);padding:8px 16px;margin:16px 0}\n"
	".sheet{font-size:22px;line-height:1.5}.sheet h1{font-size:32px}.sheet .card{border-left-width:8px;"
	"break-inside:avoid}\n"
	"@media print{.top,.foot,.noprint,nav{display:none}body,main{background:#fff;padding:0}"
	".sheet{font-size:14pt;line-height:1.35}.sheet h1{font-size:22pt;margin:0 0 8pt}.sheet h2{font-size:17pt}"
	".sheet .card{border:1px solid #000;padding:6pt 10pt;margin:0 0 8pt}.sheet .facts dt{width:4.5em}"
	".sheet .facts dd{margin-left:5em}"
	"@page{size:A4;margin:14mm}}\n";

const char *srv_css(void)
{
	return css;
}
