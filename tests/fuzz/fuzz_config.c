/* fuzz_config.c - libFuzzer entry point for config loading and checking
 * ('make fuzz'). */
#include <stddef.h>
#include <stdint.h>

int fuzz_one(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_one(data, size);
}
