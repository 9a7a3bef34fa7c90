"""Function names without gcc's clone suffixes, for comparing frames.

kallsyms prints a clone under its own name (link_path_walk.part.0.constprop.0,
add_port.isra.0); crash strips some suffixes (symbols.c strip_symbol_end():
from the first ".isra.", ".part." or ".llvm." on) and keeps others
(el0_svc_common.constprop.0), and which names it strips depends on its
version and on vmlinux vs module symbols. Tests compare frames with every
suffix removed on both sides."""
import re

_CLONE = re.compile(r"^([\w$]+)\.(?:constprop|isra|part|cold|llvm)[.\w]*")


def base_frame(frame):
    """'fn.isra.0+0x10/0x20 [mod]' -> 'fn+0x10/0x20 [mod]'"""
    return _CLONE.sub(r"\1", frame.strip())
