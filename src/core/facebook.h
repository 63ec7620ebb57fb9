/*
 * src/core/facebook.h - the key of a Facebook profile as people type it into
 * a lead (a link, a username or a numeric id). No PostgreSQL.
 */
#ifndef LC_FACEBOOK_H
#define LC_FACEBOOK_H

#include <stddef.h>

/* Longest key: usernames have at most 50 characters, numeric ids about 20 digits. */
#define LC_FACEBOOK_KEY_MAX 64

/* Bytes lc_facebook_key() may write for an input of len bytes (NUL included). */
extern size_t lc_facebook_key_bound(size_t len);

/*
 * The key two spellings of one profile share: for a link on facebook.com
 * (any subdomain: www., m., mbasic., web., vi-vn. ...), fb.com, fb.me or
 * m.me, with or without http(s)://, the username of its first path segment,
 * or the numeric id of profile.php?id=N and of /people/<name>/N; a bare
 * username ("@nguyen.van.an" too) or numeric id as is. Usernames lose their
 * periods and go to lower case (Facebook ignores both). Query strings,
 * fragments and trailing slashes are ignored. Writes the key and a NUL and
 * returns its length; returns 0 when the value names no profile: a display
 * name ("Nguyễn Văn An"), a phone number, a link elsewhere or to a group,
 * event, post or share page.
 */
extern size_t lc_facebook_key(const char *s, size_t len, char *out);

#endif							/* LC_FACEBOOK_H */
