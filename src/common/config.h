// Configuration helpers: a flag wins, then its environment variable, then the default.
#ifndef ORDO_COMMON_CONFIG_H_
#define ORDO_COMMON_CONFIG_H_

#include <string>

namespace ordo {

// Returns `flag_value` when non-empty, else the value of `env_var` when set and non-empty,
// else `fallback`.
std::string FlagOrEnv(const std::string& flag_value, const char* env_var,
                      const std::string& fallback = "");

}  // namespace ordo

#endif  // ORDO_COMMON_CONFIG_H_
