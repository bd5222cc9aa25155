// Non-variadic doors into libedit's <histedit.h>.
//
// Swift cannot call C variadic functions ("Variadic function is unavailable"), and libedit's
// configuration goes through three of them: el_set, el_get and history. Swift 6 also refuses C's
// mutable `stdin`/`stdout`/`stderr` globals, which el_init wants. Each function here fixes one use of
// those calls, takes plain arguments and is named CEditLine_<what it does>.
#ifndef CEDITLINE_H
#define CEDITLINE_H

#include <histedit.h>

#ifdef __cplusplus
extern "C" {
#endif

/// A prompt callback (EL_PROMPT_ESC / EL_RPROMPT_ESC): returns the prompt for this EditLine.
typedef char *_Nullable (*CEditLine_prompt_fn)(EditLine *_Nonnull el);
/// A user editor function (EL_ADDFN): returns one of the CC_* codes.
typedef unsigned char (*CEditLine_command_fn)(EditLine *_Nonnull el, int ch);

// MARK: Life cycle

/// el_init on the process's standard input, output and error.
EditLine *_Nullable CEditLine_init_stdio(const char *_Nonnull prog);
/// el_end: restores the terminal and frees the editor.
void CEditLine_end(EditLine *_Nonnull el);
/// el_reset: cleans the editor's state and puts the terminal back to its cooked mode.
void CEditLine_reset(EditLine *_Nonnull el);
/// el_gets: reads one line (with its "\n"). NULL with *count == 0 at end of input (Ctrl-D on an empty
/// line), NULL with *count == -1 on a read error.
const char *_Nullable CEditLine_gets(EditLine *_Nonnull el, int *_Nonnull count);

// MARK: Prompts and client data

/// EL_PROMPT_ESC: the prompt callback; characters between two `literal_marker`s are printed but take
/// no width (for colour escapes). Pass '\0' for no marker.
int CEditLine_set_prompt(EditLine *_Nonnull el, CEditLine_prompt_fn _Nullable fn, char literal_marker);
/// EL_RPROMPT_ESC: the right-hand prompt callback, with the same marker convention.
int CEditLine_set_right_prompt(EditLine *_Nonnull el, CEditLine_prompt_fn _Nullable fn,
                               char literal_marker);
/// EL_CLIENTDATA set: an opaque pointer that callbacks get back with CEditLine_clientdata.
int CEditLine_set_clientdata(EditLine *_Nonnull el, void *_Nullable data);
/// EL_CLIENTDATA get.
void *_Nullable CEditLine_clientdata(EditLine *_Nonnull el);

// MARK: Editor, terminal and signals

/// EL_EDITOR set: "emacs" or "vi" (resets the key maps to that editor's defaults).
int CEditLine_set_editor(EditLine *_Nonnull el, const char *_Nonnull name);
/// EL_EDITOR get: "emacs" or "vi" (a static string), NULL on failure.
const char *_Nullable CEditLine_editor(EditLine *_Nonnull el);
/// EL_SIGNAL: when on, libedit restores the terminal on SIGINT/SIGTERM/SIGHUP/SIGQUIT/SIGTSTP before
/// the previous handler runs, redraws on SIGCONT and follows the window size on SIGWINCH.
int CEditLine_set_signal_handling(EditLine *_Nonnull el, int on);
/// EL_EDITMODE: 0 turns editing off (el_gets then reads plain lines).
int CEditLine_set_edit_mode(EditLine *_Nonnull el, int on);
/// EL_SETTY with one mode change, e.g. ("-d", "-isig"): `which` is "-d" (editing), "-x" (executing)
/// or "-q" (quoted input).
int CEditLine_setty(EditLine *_Nonnull el, const char *_Nonnull which, const char *_Nonnull change);
/// EL_PREP_TERM: 1 puts the terminal in libedit's raw editing mode, 0 back to cooked mode.
int CEditLine_prepare_terminal(EditLine *_Nonnull el, int raw);
/// EL_GETTC "co": the terminal's width in columns as libedit knows it (0 when unknown).
int CEditLine_columns(EditLine *_Nonnull el);
/// el_source: runs the editrc commands in `path` (lines may be prefixed with "prog:").
int CEditLine_source(EditLine *_Nonnull el, const char *_Nonnull path);
/// el_parse on one command line, split on blanks (e.g. "bind -v"). Returns el_parse's result.
int CEditLine_parse(EditLine *_Nonnull el, const char *_Nonnull command);

// MARK: Key bindings and user functions

/// EL_ADDFN: makes `fn` available to key bindings under `name`.
int CEditLine_add_function(EditLine *_Nonnull el, const char *_Nonnull name,
                           const char *_Nonnull help, CEditLine_command_fn _Nonnull fn);
/// EL_BIND in the main key map (emacs, or vi insert mode): `key` in bind(1) notation ("^I", "\\t").
int CEditLine_bind(EditLine *_Nonnull el, const char *_Nonnull key, const char *_Nonnull function);
/// EL_BIND -a: the alternate key map (vi command mode).
int CEditLine_bind_alternate(EditLine *_Nonnull el, const char *_Nonnull key,
                             const char *_Nonnull function);

// MARK: The line being edited

/// el_line: the buffer, the cursor and the end of the line (multibyte, not NUL-terminated).
const LineInfo *_Nonnull CEditLine_line(EditLine *_Nonnull el);
/// el_insertstr: inserts `text` at the cursor. 0 on success.
int CEditLine_insert(EditLine *_Nonnull el, const char *_Nonnull text);
/// el_deletestr: deletes `count` characters before the cursor.
void CEditLine_delete_before_cursor(EditLine *_Nonnull el, int count);
/// el_cursor: moves the cursor by `offset` characters; returns the new cursor offset.
int CEditLine_move_cursor(EditLine *_Nonnull el, int offset);
/// el_push: queues `text` as if typed next.
void CEditLine_push(EditLine *_Nonnull el, const char *_Nonnull text);
/// el_beep.
void CEditLine_beep(EditLine *_Nonnull el);
/// Writes `text` to the editor's output stream and flushes it (for listings during completion).
void CEditLine_write(EditLine *_Nonnull el, const char *_Nonnull text);

// MARK: History

/// history_init.
History *_Nullable CEditLine_history_init(void);
/// history_end.
void CEditLine_history_end(History *_Nonnull h);
/// EL_HIST: lets the editor browse `h` (Up/Down, searches).
int CEditLine_set_history(EditLine *_Nonnull el, History *_Nullable h);
/// H_SETSIZE: keeps at most `size` events.
int CEditLine_history_set_size(History *_Nonnull h, int size);
/// H_GETSIZE: the number of events, or -1.
int CEditLine_history_count(History *_Nonnull h);
/// H_SETUNIQUE: when on, an event equal to the previous one is not entered.
int CEditLine_history_set_unique(History *_Nonnull h, int unique);
/// H_ENTER: adds `line` as the newest event.
int CEditLine_history_enter(History *_Nonnull h, const char *_Nonnull line);
/// H_CLEAR: removes every event.
int CEditLine_history_clear(History *_Nonnull h);
/// H_LOAD: adds the events in libedit's own file format. Returns the count read, or -1.
int CEditLine_history_load(History *_Nonnull h, const char *_Nonnull path);
/// H_SAVE: writes every event in libedit's own file format. Returns the count written, or -1.
int CEditLine_history_save(History *_Nonnull h, const char *_Nonnull path);
/// The event `index` places back from the newest (0 is the newest), or NULL. The string stays valid
/// until the history changes.
const char *_Nullable CEditLine_history_entry(History *_Nonnull h, int index);

// MARK: Terminal helpers (ioctl is variadic too)

/// FIONREAD: how many bytes are waiting to be read on `fd` (0 when unknown).
int CEditLine_pending_input(int fd);
/// TIOCGWINSZ: the window size of the terminal on `fd`. 0 on success, -1 (errno set) otherwise.
int CEditLine_window_size(int fd, unsigned short *_Nonnull rows, unsigned short *_Nonnull columns);
/// TIOCSWINSZ: sets the window size of the terminal on `fd` (for example a pseudo-terminal's master).
int CEditLine_set_window_size(int fd, unsigned short rows, unsigned short columns);
#ifdef __cplusplus
}
#endif

#endif
