"""Images as posts: an image given on its own is a post; images attached to a post add
their OCR text and metadata to it. OCR itself lives in `postguard.images`."""

from __future__ import annotations

import os

from postguard.inputs.discover import Target
from postguard.inputs.post_builder import is_url
from postguard.inputs.problems import IMAGE, IMAGE_UNREAD_TEXT, input_finding
from postguard.model import Finding, ImageLocator, ImageMetaEntry, Origin, Post, PostMeta, Severity, TextField

# Free-text metadata is also run through the text rules; GPS, dates and names are
# reported by the image-metadata rules themselves.
FREE_TEXT_KINDS = ("text", "name")


def image_post(target: Target) -> Post:
    """A post made of one image file given on the command line or found in a folder."""
    return Post(path=target.path, item=None, meta=PostMeta(), image_paths=(target.path,), is_image=True)


def local_images(post: Post) -> list[str]:
    return [ref for ref in post.image_paths if not is_url(ref)]


def attach_readings(post: Post, readings: dict[str, object]) -> None:
    """Add OCR text, metadata and problems of each of the post's images to the post."""
    line = post.meta.key_lines.get("images", post.line)
    for ref in post.image_paths:
        image = ref if post.is_image else shown_image_path(ref)
        if is_url(ref):
            post.problems.append(_problem(
                IMAGE, "image given as a URL is not fetched: check it separately", post, ref, line, Severity.WARNING,
            ))
            continue
        reading = readings.get(ref)
        if reading is None:
            if os.path.exists(ref):
                message = "not a regular file (FIFO, device or socket): the image was not checked"
            else:
                message = "attached image not found: nothing in it was checked"
            post.problems.append(_problem(IMAGE, message, post, image, line, Severity.ERROR))
            continue
        _add_reading(post, reading, image, line)


def _add_reading(post: Post, reading: object, image: str, line: int | None) -> None:
    from postguard.images import ImageReading

    assert isinstance(reading, ImageReading)
    # Contract: image origins have no line; an attached image is pointed at by its
    # `images:` reference instead, which does have one.
    origin_line = None if post.is_image else line
    for problem in reading.problems:
        rule = IMAGE_UNREAD_TEXT if problem.severity == "warning" else IMAGE
        severity = Severity.WARNING if problem.severity == "warning" else Severity.ERROR
        post.problems.append(_problem(rule, problem.message, post, image, origin_line, severity))
    if reading.text.strip():
        post.fields.append(TextField("image-text", reading.text, Origin.IMAGE_TEXT, ImageLocator(image, reading.words)))
    for item in reading.metadata:
        post.image_meta.append(ImageMetaEntry(image, item.key, item.value, item.kind))
        if item.kind in FREE_TEXT_KINDS:
            post.fields.append(TextField("image-metadata", item.value, Origin.IMAGE_METADATA, ImageLocator(image)))


def _problem(rule: str, message: str, post: Post, image: str, line: int | None, severity: Severity) -> Finding:
    """A problem with one image: at its `images:` line when there is one, else on the image."""
    if line is not None:
        # Contract: only image origins carry `image`; name the image in the message instead.
        return input_finding(rule, f"{image}: {message}", post.path, item=post.item, line=line,
                             severity=severity, origin=Origin.FRONT_MATTER)
    return input_finding(rule, message, post.path, item=post.item, severity=severity,
                         origin=Origin.IMAGE_TEXT, image=image)


def shown_image_path(ref: str) -> str:
    """An attached image as the user would write it: relative to where they ran postguard."""
    try:
        relative = os.path.relpath(ref)
    except ValueError:  # another drive on Windows
        return ref
    return ref if relative.startswith("..") else relative
