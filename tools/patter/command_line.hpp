// The command line of `patter` (command_line.cpp): reads it, checks it and
// runs the command it names.
#pragma once

namespace patter::cli {

/// `patter ARGS...`: the exit status.
int run(int argc, char** argv);

}  // namespace patter::cli
