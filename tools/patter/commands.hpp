// The `patter` tool's commands, one file each (tools/patter/<command>.cpp).
// Each takes the arguments after its name and returns the exit status:
// 0 ok, 1 the script (or the test, or the input) has problems, 2 wrong usage.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace patter::cli {

using Args = std::vector<std::string>;

int validate(const Args& args);
int graph(const Args& args);
int simulate(const Args& args);
int stats(const Args& args);
int chat(const Args& args);
int test(const Args& args);
int eval(const Args& args);

/// "patter: <msg>", the usage, and 2.
int usage_error(const std::string& msg);
/// `s` escaped for the inside of a JSON string.
std::string json_escape(std::string_view s);

}  // namespace patter::cli
