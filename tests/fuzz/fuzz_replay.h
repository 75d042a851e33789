/* Replay of stored fuzz inputs, shared by every fuzz target: without libFuzzer each target's main() runs every file
 * named on its command line through LLVMFuzzerTestOneInput(). */
#ifndef RINGSCOPE_FUZZ_REPLAY_H
#define RINGSCOPE_FUZZ_REPLAY_H

#include <stddef.h>
#include <stdint.h>

/* The target's entry point (libFuzzer's name and signature). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads the file at path whole and runs it as one input.  Returns 0, or
 * -1 with a message on stderr when it cannot be read. */
int fuzz_replay_file(const char *path);

#endif
