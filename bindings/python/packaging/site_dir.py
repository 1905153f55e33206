"""Where `cmake --install --prefix PREFIX` puts the patter package.

Run by the interpreter the extension is built for (Python3_EXECUTABLE):
the site directory under PREFIX that this interpreter already searches
(Debian's python3 searches /usr/local/lib/python3.X/dist-packages, a venv
its own site-packages), else the platlib of the standard `posix_prefix`
scheme for PREFIX (lib/python3.X/site-packages), which `site.addsitedir`
or the user site (~/.local) picks up.
"""

import os
import re
import sys
import sysconfig

prefix = os.path.abspath(sys.argv[1])
searched = re.compile(r"lib/python3[^/]*/(site|dist)-packages")
for path in sys.path:
    rel = os.path.relpath(os.path.abspath(path or "."), prefix) if path else ""
    if searched.fullmatch(rel):
        print(os.path.join(prefix, rel))
        break
else:
    print(sysconfig.get_path("platlib", "posix_prefix", vars={"base": prefix, "platbase": prefix}))
