// patter — the command-line tool for script authors.
//
//   patter validate examples/scripts/*.yaml
//   patter graph examples/scripts/screening.zh-CN.yaml -o screening.dot
//   patter simulate examples/scripts/screening.zh-CN.yaml --calls=5000 --agents 3
//   patter help simulate          # or: patter simulate --help
#include <iostream>

#include "command_line.hpp"

int main(int argc, char** argv) {
  try {
    return patter::cli::run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "patter: " << e.what() << '\n';
    return 1;
  }
}
