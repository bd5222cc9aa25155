// libedit's editing, history and tokenizer interface (<histedit.h>, from libedit-dev).
#include <histedit.h>
