"""A notice's attachments: the lines that name its documents (附件：名单.xlsx,
2.征集表.docx, a link to a .pdf whose text has no extension), and a bare
附件： label joined to the name under it."""

from __future__ import annotations

import re

from .patterns import DOC_EXTENSIONS, squash

_DOC_NAME = re.compile(rf"\.({DOC_EXTENSIONS})\s*[)）]?$", re.I)
_ITEM_NUMBER = re.compile(r"^(?:-\s+)?\d+\s*[.、．]\s*")
ATTACHMENT_LABEL = re.compile(r"^(?:-\s+)?(?:相关)?附件\s*\d*\s*[:：]?\s*(?:\d+\s*[.、．]\s*)?")


def is_attachment(block: str, files: set[str]) -> bool:
    """A line naming an attached document (``附件：1.名单.xlsx``, a link to a
    ``.pdf`` whose text has no extension), or a bare ``附件：`` label.

    >>> is_attachment("附件：2024年拟立项名单.xlsx", set()), is_attachment("附件1：名单", {"名单"})
    (True, True)
    >>> is_attachment("附件：", set()), is_attachment("要闻", {"名单"}), is_attachment("2.名单", {"名单"})
    (True, False, True)
    """
    block = block.strip()
    label = ATTACHMENT_LABEL.match(block)
    rest = block[label.end():] if label else _ITEM_NUMBER.sub("", block)   # (2.名单)
    if not rest.strip():
        return bool(label)
    return bool(_DOC_NAME.search(rest)) or squash(rest) in files


def attachment_flags(blocks: list[str], files: set[str]) -> list[bool]:
    """Which blocks are a notice's attachment lines: an attachment (see
    :func:`is_attachment`) marked as one, by an 附件 label, an item number or
    a document's extension, or right after such a line. A page's own list of
    links to documents (表格下载: 失业保险金申领登记表 …) is no attachment list.

    >>> attachment_flags(["附件：", "名单", "要求"], {"名单", "要求"}), attachment_flags(["名单", "要求"], {"名单", "要求"})
    ([True, True, True], [False, False])
    >>> attachment_flags(["2.名单", "3.征集表.docx", "教育部办公厅"], {"名单"})
    [True, True, False]
    """
    out: list[bool] = []
    for block in blocks:
        line = block.strip()
        marked = bool(ATTACHMENT_LABEL.match(line) or _ITEM_NUMBER.match(line) or _DOC_NAME.search(line))
        out.append(is_attachment(line, files) and (marked or bool(out and out[-1])))
    return out


def join_attachment_labels(blocks: list[str], files: set[str]) -> list[str]:
    """A bare ``附件1：`` label and the attachment's name under it, one line
    (trafilatura flattening a short page parts them).

    >>> join_attachment_labels(["通知如下。", "附件1：", "名单", "附件：", "要求.docx"], {"名单"})
    ['通知如下。', '附件1：名单', '附件：要求.docx']
    """
    out: list[str] = []
    for block in blocks:
        bare = out and ATTACHMENT_LABEL.fullmatch(out[-1].strip())
        if bare and not ATTACHMENT_LABEL.match(block) and is_attachment(block, files):
            out[-1] = out[-1].strip() + block.strip()
        else:
            out.append(block)
    return out
