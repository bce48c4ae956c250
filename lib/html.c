/*
 * html.c - an HTML mail body as readable plain text, for an incident's
 * description and for the reply helpers: libxml2's forgiving HTML parser
 * builds the tree, and one walk over it writes the text.
 *
 * The walk is iterative (parent pointers, no recursion), so a hostile
 * message nested a hundred thousand levels deep costs time, not the stack.
 */
#define _POSIX_C_SOURCE 200809L
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "inc.h"
#include "mail_int.h"

/* List nesting that is indented and numbered; deeper lists are bullets
 * at that indent. */
#define MAXINDENT 16

struct html {
	struct inc_buf b;
	int want;	/* line breaks owed before the next text */
	int nl;		/* line breaks ending b: > 0 means at a line start */
	int space;	/* a space owed before the next word */
	int quote;	/* <blockquote> depth: lines start with that many '>' */
	int pre;	/* inside <pre>: white space is kept */
	size_t link;	/* where the text of the current <a> starts */
	xmlNode *lists[MAXINDENT];	/* the <ol> numbered at each depth */
	int numbers[MAXINDENT];		/* and its last number */
};

/* Elements whose content is not text a reader sees. */
static const char *const skipped[] = {
	"script", "style", "head", "title", "template", "noscript", "svg",
	"object", "iframe", "select", "textarea", "button", NULL
};

/* Elements that start and end a line, and those that also leave a blank
 * line around them, like a browser's margins. */
static const char *const lines[] = {
	"div", "tr", "dt", "dd", "dl", "table", "section",
	"article", "header", "footer", "nav", "aside", "main", "form",
	"fieldset", "legend", "address", "figure", "figcaption", "caption",
	"center", "details", "summary", NULL
};
static const char *const paragraphs[] = {
	"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", NULL
};

static int
in(const char *name, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(name, *set) == 0)
			return 1;
	return 0;
}

static int
at_line_start(const struct html *h)
{
	return h->b.len == 0 || h->nl > 0;
}

/* A line break; an empty line inside a quote still carries its '>' so
 * that the quoted block stays one block for inc_mail_strip_quoted(). */
static void
newline(struct html *h)
{
	if (h->quote > 0 && at_line_start(h))
		for (int i = 0; i < h->quote; i++)
			inc_buf_add(&h->b, ">", 1);
	inc_buf_add(&h->b, "\n", 1);
	h->nl++;
}

static void
pay_breaks(struct html *h)
{
	if (h->b.len > 0)
		while (h->nl < h->want)
			newline(h);
	h->want = 0;
}

static void
block(struct html *h, int n)
{
	if (h->want < n)
		h->want = n;
	h->space = 0;
}

/* Everything owed before a word: line breaks, the quote marks of a new
 * line, or the space between words. */
static void
before_word(struct html *h)
{
	pay_breaks(h);
	if (at_line_start(h)) {
		if (h->quote > 0) {
			for (int i = 0; i < h->quote; i++)
				inc_buf_add(&h->b, ">", 1);
			inc_buf_add(&h->b, " ", 1);
		}
	} else if (h->space)
		inc_buf_add(&h->b, " ", 1);
	h->space = 0;
}

static void
word(struct html *h, const char *s, size_t n)
{
	if (n == 0)
		return;
	before_word(h);
	inc_buf_add(&h->b, s, n);
	h->nl = 0;
}

/* ASCII white space, or U+00A0 (&nbsp;): Outlook pads with it, a reader
 * sees a space. Returns its length in bytes, 0 for anything else. */
static size_t
white(const char *s)
{
	if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f')
		return 1;
	if ((unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0xa0)
		return 2;
	return 0;
}

static void
text(struct html *h, const char *s)
{
	if (h->pre) {
		while (*s) {
			size_t n = strcspn(s, "\r\n");

			word(h, s, n);
			s += n;
			if (*s == '\n') {
				pay_breaks(h);
				newline(h);
			}
			if (*s)
				s++;
		}
		return;
	}
	while (*s) {
		size_t w = white(s), n = 0;

		if (w) {
			h->space = 1;
			s += w;
			continue;
		}
		while (s[n] && !white(s + n))
			n++;
		word(h, s, n);
		s += n;
	}
}

static const char *
attr(xmlNode *n, const char *name)
{
	for (xmlAttr *a = n->properties; a; a = a->next)
		if (strcmp((const char *)a->name, name) == 0 && a->children &&
		    a->children->type == XML_TEXT_NODE)
			return (const char *)a->children->content;
	return NULL;
}

static int
is_list(const char *name)
{
	return strcmp(name, "ul") == 0 || strcmp(name, "ol") == 0;
}

/* "- ", or "N. " in an <ol>: each list's count is kept by nesting depth,
 * so that numbering a long list costs one step per item. */
static void
bullet(struct html *h, xmlNode *li)
{
	xmlNode *list = li->parent;
	int depth = 0;

	for (xmlNode *a = li->parent; a; a = a->parent)
		if (a->type == XML_ELEMENT_NODE && is_list((const char *)a->name))
			depth++;
	block(h, 1);
	before_word(h);
	for (int i = 1; i < depth && i < MAXINDENT; i++)
		inc_buf_add(&h->b, "  ", 2);
	if (list && list->type == XML_ELEMENT_NODE && strcmp((const char *)list->name, "ol") == 0 &&
	    depth < MAXINDENT) {
		if (h->lists[depth] != list) {
			const char *start = attr(list, "start");
			long n = start ? strtol(start, NULL, 10) : 1;

			h->lists[depth] = list;
			h->numbers[depth] = n < -999999 || n > 999999 ? 1 : (int)n;
		} else
			h->numbers[depth]++;
		inc_buf_printf(&h->b, "%d. ", h->numbers[depth]);
	} else
		inc_buf_addstr(&h->b, "- ");
	h->nl = 0;
}

/* A list stands apart like a paragraph, except a list inside a list
 * item, which would space the outer items out. */
static int
list_gap(xmlNode *n)
{
	for (xmlNode *a = n->parent; a; a = a->parent)
		if (a->type == XML_ELEMENT_NODE && strcmp((const char *)a->name, "li") == 0)
			return 1;
	return 2;
}

/* Returns 0 when the element's children are not to be visited. */
static int
enter(struct html *h, xmlNode *n)
{
	const char *name;

	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		if (n->content)
			text(h, (const char *)n->content);
		return 0;
	}
	if (n->type != XML_ELEMENT_NODE)
		return 0;
	name = (const char *)n->name;
	if (in(name, skipped))
		return 0;
	if (strcmp(name, "br") == 0) {
		pay_breaks(h);
		newline(h);
		h->space = 0;
	} else if (strcmp(name, "hr") == 0) {
		/* Outlook's own rule in its text alternative; followed by a
		 * "From:" block it marks the quoted original. */
		block(h, 1);
		word(h, "________________________________", 32);
		block(h, 1);
	} else if (strcmp(name, "li") == 0) {
		bullet(h, n);
	} else if (strcmp(name, "blockquote") == 0) {
		block(h, 1);
		pay_breaks(h);
		h->quote++;
	} else if (strcmp(name, "td") == 0 || strcmp(name, "th") == 0) {
		h->space = 1;
	} else if (strcmp(name, "a") == 0) {
		h->link = h->b.len;
	} else if (is_list(name)) {
		block(h, list_gap(n));
	} else if (in(name, paragraphs)) {
		block(h, 2);
	} else if (in(name, lines)) {
		block(h, 1);
	}
	if (strcmp(name, "pre") == 0)
		h->pre++;
	return 1;
}

/* A link whose text is not its address keeps the address: in a mail
 * "click here" is useless without it. */
static void
link_end(struct html *h, xmlNode *n)
{
	const char *href = attr(n, "href"), *t, *shown;
	size_t tn, hn;

	if (!href || h->link > h->b.len)
		return;
	if (strncasecmp(href, "http://", 7) != 0 && strncasecmp(href, "https://", 8) != 0 &&
	    strncasecmp(href, "mailto:", 7) != 0)
		return;
	for (hn = 0; href[hn]; hn++)
		if ((unsigned char)href[hn] <= ' ' || href[hn] == '<' || href[hn] == '>')
			return;
	t = h->b.data + h->link;
	tn = h->b.len - h->link;
	while (tn > 0 && white(t)) {
		t++;
		tn--;
	}
	while (tn > 0 && (t[tn - 1] == ' ' || t[tn - 1] == '\n'))
		tn--;
	if (tn == 0)
		return;
	shown = strncasecmp(href, "mailto:", 7) == 0 ? href + 7 : href;
	if (strlen(shown) == tn && strncasecmp(shown, t, tn) == 0)
		return;
	h->space = 1;
	before_word(h);
	inc_buf_printf(&h->b, "<%s>", href);
	h->nl = 0;
}

static void
leave(struct html *h, xmlNode *n)
{
	const char *name;

	if (n->type != XML_ELEMENT_NODE)
		return;
	name = (const char *)n->name;
	if (in(name, skipped))
		return;
	if (strcmp(name, "blockquote") == 0) {
		if (h->quote > 0)
			h->quote--;
		block(h, 1);
	} else if (strcmp(name, "a") == 0) {
		link_end(h, n);
	} else if (strcmp(name, "li") == 0) {
		block(h, 1);
	} else if (is_list(name)) {
		block(h, list_gap(n));
	} else if (in(name, paragraphs)) {
		block(h, 2);
	} else if (in(name, lines)) {
		block(h, 1);
	}
	if (strcmp(name, "pre") == 0 && h->pre > 0)
		h->pre--;
}

char *
inc_mail_html_text(const char *html, size_t len)
{
	struct html h = {0};
	htmlDocPtr doc;
	xmlNode *root, *n;
	struct inc_buf clean = {0};

	/* The body was converted to UTF-8 already: a <meta charset> must not
	 * switch the parser to another encoding. */
	doc = htmlReadMemory(html, len > INT_MAX ? INT_MAX : (int)len, NULL, "UTF-8",
			     HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
			     HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC);
	root = doc ? xmlDocGetRootElement(doc) : NULL;
	n = root;
	while (n) {
		if (enter(&h, n) && n->children) {
			n = n->children;
			continue;
		}
		for (;;) {
			leave(&h, n);
			if (n == root) {
				n = NULL;
				break;
			}
			if (n->next) {
				n = n->next;
				break;
			}
			n = n->parent;
		}
	}
	if (doc)
		xmlFreeDoc(doc);
	inc_mail_clean(&clean, h.b.data ? h.b.data : "", h.b.len, 1);
	inc_buf_free(&h.b);
	inc_mail_tidy(&clean, 1);
	if (!clean.data)
		inc_buf_add(&clean, "", 0);
	return clean.data;
}
