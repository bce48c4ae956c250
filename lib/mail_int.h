/*
 * mail_int.h - helpers shared by mail.c and html.c, not part of the public
 * mail.h: text clean-up to the guarantees mail.h promises.
 */
#ifndef INC_MAIL_INT_H
#define INC_MAIL_INT_H

#include <stddef.h>

struct inc_buf;

/* Appends s[0..n) to b as valid UTF-8 (invalid bytes as U+FFFD) without
 * control characters. body: CR LF and lone CR become LF, tabs stay, other
 * controls go. Not body: every control character, LF and tab included,
 * becomes a space. */
void inc_mail_clean(struct inc_buf *b, const char *s, size_t n, int body);

/* A header field's text: cleaned, runs of white space folded to one space,
 * trimmed. Malloc'd; NULL for NULL or for nothing left. */
char *inc_mail_clean_header(const char *s);

/* Tidies body text in place: trailing white space of each line, blank lines
 * at both ends, and (squeeze) runs of blank lines down to one. */
void inc_mail_tidy(struct inc_buf *b, int squeeze);

#endif
