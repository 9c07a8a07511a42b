// Configuration helpers: a flag wins, then its environment variable, then the default.
#include "common/config.h"

#include <cstdlib>

namespace ordo {

std::string FlagOrEnv(const std::string& flag_value, const char* env_var,
                      const std::string& fallback) {
  if (!flag_value.empty()) return flag_value;
  const char* env = std::getenv(env_var);
  if (env != nullptr && *env != '\0') return env;
  return fallback;
}

}  // namespace ordo
