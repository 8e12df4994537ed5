// What the node's database holds, as one comparable text: the row count and InnoDB's
// CHECKSUM TABLE of every table. Equal fingerprints before and after a run of requests mean
// those requests wrote nothing (a changed row changes its table's checksum).
#pragma once

#include <string>

namespace downstream::testing {

// The fingerprint of the stack's database (through scripts/mariadb.sh sql on the stack's
// MariaDB folder, as its admin). Fails the calling test if the server does not answer.
std::string database_fingerprint();

}  // namespace downstream::testing
