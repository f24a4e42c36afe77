"""Blocks of a municipality's public home page, provided by feature apps.

A feature app registers, in its AppConfig.ready(), a block with a template and a function
returning its context (or None to hide the block), e.g. the latest news or upcoming meetings.
The home page view renders them in order without knowing the apps.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class HomeBlock:
    key: str
    order: int
    template: str
    context: Callable  # (request, municipality) -> dict | None


_blocks: dict[str, HomeBlock] = {}


def register_home_block(key: str, order: int, template: str, context: Callable) -> None:
    _blocks[key] = HomeBlock(key, order, template, context)


def home_blocks(request, municipality) -> list[tuple[str, dict]]:
    out = []
    for block in sorted(_blocks.values(), key=lambda b: b.order):
        ctx = block.context(request, municipality)
        if ctx is not None:
            out.append((block.template, ctx))
    return out
