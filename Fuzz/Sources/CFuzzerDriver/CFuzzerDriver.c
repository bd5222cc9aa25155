// LLVMFuzzerRunDriver is defined by libFuzzer (linked with -sanitize=fuzzer); this target only declares it.
#include "CFuzzerDriver.h"
