#ifndef MECHSCOPE_CNCURSESW_SHIM_H
#define MECHSCOPE_CNCURSESW_SHIM_H
// SwiftPM drops pkg-config's -D flags: the wide-char API needs these before the include.
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <ncursesw/ncurses.h>

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
#endif
