// Each function fixes the arguments of one variadic libedit call (see CEditLine.h).
#include "CEditLine.h"

#include <stdio.h>
#include <sys/ioctl.h>

// MARK: Life cycle

EditLine *CEditLine_init_stdio(const char *prog) { return el_init(prog, stdin, stdout, stderr); }

void CEditLine_end(EditLine *el) { el_end(el); }

void CEditLine_reset(EditLine *el) { el_reset(el); }

const char *CEditLine_gets(EditLine *el, int *count) { return el_gets(el, count); }

// MARK: Prompts and client data

int CEditLine_set_prompt(EditLine *el, CEditLine_prompt_fn fn, char literal_marker) {
  return el_set(el, EL_PROMPT_ESC, fn, literal_marker);
}

int CEditLine_set_right_prompt(EditLine *el, CEditLine_prompt_fn fn, char literal_marker) {
  return el_set(el, EL_RPROMPT_ESC, fn, literal_marker);
}

int CEditLine_set_clientdata(EditLine *el, void *data) { return el_set(el, EL_CLIENTDATA, data); }

void *CEditLine_clientdata(EditLine *el) {
  void *data = NULL;
  if (el_get(el, EL_CLIENTDATA, &data) != 0) return NULL;
  return data;
}

// MARK: Editor, terminal and signals

int CEditLine_set_editor(EditLine *el, const char *name) { return el_set(el, EL_EDITOR, name); }

const char *CEditLine_editor(EditLine *el) {
  const char *name = NULL;
  if (el_get(el, EL_EDITOR, &name) != 0) return NULL;
  return name;
}

int CEditLine_set_signal_handling(EditLine *el, int on) { return el_set(el, EL_SIGNAL, on); }

int CEditLine_set_edit_mode(EditLine *el, int on) { return el_set(el, EL_EDITMODE, on); }

int CEditLine_setty(EditLine *el, const char *which, const char *change) {
  // libedit supplies argv[0] ("setty") itself.
  return el_set(el, EL_SETTY, which, change, (const char *)NULL);
}

int CEditLine_prepare_terminal(EditLine *el, int raw) { return el_set(el, EL_PREP_TERM, raw); }

int CEditLine_columns(EditLine *el) {
  int columns = 0;
  if (el_get(el, EL_GETTC, "co", &columns) != 0) return 0;
  return columns;
}

int CEditLine_source(EditLine *el, const char *path) { return el_source(el, path); }

int CEditLine_parse(EditLine *el, const char *command) {
  Tokenizer *tokenizer = tok_init(NULL);
  if (tokenizer == NULL) return -1;
  int argc = 0;
  const char **argv = NULL;
  int result = -1;
  if (tok_str(tokenizer, command, &argc, &argv) == 0 && argc > 0) result = el_parse(el, argc, argv);
  tok_end(tokenizer);
  return result;
}

// MARK: Key bindings and user functions

int CEditLine_add_function(EditLine *el, const char *name, const char *help,
                           CEditLine_command_fn fn) {
  return el_set(el, EL_ADDFN, name, help, fn);
}

int CEditLine_bind(EditLine *el, const char *key, const char *function) {
  return el_set(el, EL_BIND, key, function, (const char *)NULL);
}

int CEditLine_bind_alternate(EditLine *el, const char *key, const char *function) {
  return el_set(el, EL_BIND, "-a", key, function, (const char *)NULL);
}

// MARK: The line being edited

const LineInfo *CEditLine_line(EditLine *el) { return el_line(el); }

int CEditLine_insert(EditLine *el, const char *text) { return el_insertstr(el, text); }

void CEditLine_delete_before_cursor(EditLine *el, int count) { el_deletestr(el, count); }

int CEditLine_move_cursor(EditLine *el, int offset) { return el_cursor(el, offset); }

void CEditLine_push(EditLine *el, const char *text) { el_push(el, text); }

void CEditLine_beep(EditLine *el) { el_beep(el); }

void CEditLine_write(EditLine *el, const char *text) {
  FILE *out = NULL;
  if (el_get(el, EL_GETFP, 1, &out) != 0 || out == NULL) out = stdout;
  fputs(text, out);
  fflush(out);
}

// MARK: History

History *CEditLine_history_init(void) { return history_init(); }

void CEditLine_history_end(History *h) { history_end(h); }

int CEditLine_set_history(EditLine *el, History *h) { return el_set(el, EL_HIST, history, h); }

int CEditLine_history_set_size(History *h, int size) {
  HistEvent event;
  return history(h, &event, H_SETSIZE, size);
}

int CEditLine_history_count(History *h) {
  HistEvent event;
  if (history(h, &event, H_GETSIZE) != 0) return -1;
  return event.num;
}

int CEditLine_history_set_unique(History *h, int unique) {
  HistEvent event;
  return history(h, &event, H_SETUNIQUE, unique);
}

int CEditLine_history_enter(History *h, const char *line) {
  HistEvent event;
  return history(h, &event, H_ENTER, line);
}

int CEditLine_history_clear(History *h) {
  HistEvent event;
  return history(h, &event, H_CLEAR);
}

int CEditLine_history_load(History *h, const char *path) {
  HistEvent event;
  return history(h, &event, H_LOAD, path);
}

int CEditLine_history_save(History *h, const char *path) {
  HistEvent event;
  return history(h, &event, H_SAVE, path);
}

const char *CEditLine_history_entry(History *h, int index) {
  HistEvent event;
  // H_FIRST is the newest event; H_NEXT steps to older ones.
  if (index < 0 || history(h, &event, H_FIRST) != 0) return NULL;
  for (int i = 0; i < index; i++) {
    if (history(h, &event, H_NEXT) != 0) return NULL;
  }
  return event.str;
}

// MARK: Terminal helpers

int CEditLine_pending_input(int fd) {
  int count = 0;
  if (ioctl(fd, FIONREAD, &count) != 0) return 0;
  return count;
}

int CEditLine_window_size(int fd, unsigned short *rows, unsigned short *columns) {
  struct winsize size;
  if (ioctl(fd, TIOCGWINSZ, &size) != 0) return -1;
  *rows = size.ws_row;
  *columns = size.ws_col;
  return 0;
}

int CEditLine_set_window_size(int fd, unsigned short rows, unsigned short columns) {
  struct winsize size = {0};
  size.ws_row = rows;
  size.ws_col = columns;
  return ioctl(fd, TIOCSWINSZ, &size);
}
