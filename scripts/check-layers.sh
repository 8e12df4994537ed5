#!/usr/bin/env bash
# Checks that each app/ folder includes only the folders it may depend on (docs/ARCHITECTURE.md).
# Prints one line per violation and ends with "N passed, N failed" (one check per folder).
set -uo pipefail
cd "$(dirname "$0")/.."

declare -A allowed=(
  [base]=""
  [crypto]="base"
  [encoding]="base"
  [json]="base"
  [proof]="base crypto encoding json"
  [identity]="base crypto encoding"
  [geo]="base"
  [contract]="base"
  [store]="base crypto encoding proof identity contract"
  [api]="base crypto encoding json proof identity geo store contract http"
  [http]="base json encoding"
  [metrics]="base json store api http"
  [node]="base crypto encoding json proof identity geo store contract api http metrics"
)
# Libraries each folder may include directly (beyond the C++ standard library).
declare -A external=(
  [base]=""
  [crypto]="openssl"
  [encoding]=""
  [json]="rapidjson"
  [proof]="openssl"
  [identity]="secp256k1 secp256k1_recovery openssl"
  [geo]="maxminddb"
  [contract]=""
  [store]="Poco mysql"
  [api]=""
  [http]="fcgiapp fcgio zlib"
  [metrics]=""
  [node]="Poco fcgiapp"
)

passed=0
failed=0
for dir in app/*/; do
  module=$(basename "$dir")
  [[ -v "allowed[$module]" ]] || { echo "layering: app/$module is not in scripts/check-layers.sh"; failed=$((failed+1)); continue; }
  ok=1
  while IFS=: read -r file _ include; do
    target=$(sed -E 's/.*#include [<"]([^/">]+)[/">].*/\1/' <<<"$include")
    [[ "$include" == *'"'* ]] || { # a <library> include
      [[ "$target" == *.h ]] && target=${target%.h}
      case " ${external[$module]} " in *" $target "*) continue ;; esac
      # C++ standard headers and POSIX headers have no folder and no .h we care about.
      grep -qE '#include <[a-z_0-9]+>' <<<"$include" && continue
      grep -qE '#include <(sys|netinet|arpa)/' <<<"$include" && continue
      grep -qE '#include <(unistd|fcntl|signal|poll|errno|pthread|netdb|ifaddrs|syslog|pwd|grp|dirent|time|limits|string|stdio|stdlib|stdint|inttypes|malloc)\.h>' <<<"$include" && continue
      echo "layering: $file includes <$target...> which app/$module may not use"; ok=0; continue
    }
    [[ "$target" == "$module" ]] && continue
    case " ${allowed[$module]} " in *" $target "*) ;; *)
      echo "layering: $file includes \"$target/...\" but app/$module may not depend on app/$target"; ok=0 ;;
    esac
  done < <(grep -nE '^#include ' "$dir"*.h "$dir"*.cpp 2>/dev/null)
  if ((ok)); then passed=$((passed+1)); else failed=$((failed+1)); fi
done
echo "$passed passed, $failed failed"
((failed == 0))
