#ifndef MECHSCOPE_CNCURSESW_SHIM_H
#define MECHSCOPE_CNCURSESW_SHIM_H
// SwiftPM drops pkg-config's -D flags: the wide-char API needs these before the include.
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <stddef.h>
#include <ncursesw/ncurses.h>
#include <ncursesw/term.h>

// Swift 6 refuses C globals as not concurrency-safe, and NCURSES_BITS macros do not import.
static inline WINDOW *mech_stdscr(void) { return stdscr; }
static inline int mech_lines(void) { return LINES; }
static inline int mech_cols(void) { return COLS; }
static inline int mech_colors(void) { return COLORS; }
static inline int mech_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t mech_a_bold(void) { return A_BOLD; }
static inline attr_t mech_a_reverse(void) { return A_REVERSE; }
static inline attr_t mech_a_dim(void) { return A_DIM; }
static inline attr_t mech_a_underline(void) { return A_UNDERLINE; }

// Colour pairs beyond 255 (COLOR_PAIR's limit) and 32767 (a short's) go through attr_set's opts.
static inline int mech_attr_set(attr_t attrs, int pair) { return attr_set(attrs, (NCURSES_PAIRS_T)0, &pair); }
static inline int mech_init_pair(int pair, int fg, int bg) { return init_extended_pair(pair, fg, bg); }
// Whether the terminal can position the cursor at all (TERM=dumb cannot).
static inline int mech_has_cursor_addressing(void) {
    char *cup = tigetstr("cup");
    return cup != NULL && cup != (char *)-1;
}
// A terminfo string capability ("rmkx"), or NULL when the terminal has none.
static inline const char *mech_string_capability(const char *name) {
    char *value = tigetstr(name);
    return value == (char *)-1 ? NULL : value;
}
#endif
