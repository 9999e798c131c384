"""The rules of IIIF Presentation API 3.0 that the archive's manifests and collections rely on,
as a validator: ``presentation3_problems(document)`` lists what breaks them (empty when none).

Written from the specification (https://iiif.io/api/presentation/3.0/, sections 2–5) and checked
against the JSON Schema of the IIIF presentation validator (github.com/IIIF/presentation-validator,
``schema/iiif_3_0.json``): the same patterns for ids, language maps, formats, dimensions,
durations and rights, the same required properties per type, and the properties a Manifest may
carry (any other is refused, as that schema's ``additionalProperties: false`` does).
"""

from __future__ import annotations

import re

CONTEXT = "http://iiif.io/api/presentation/3/context.json"
LANGUAGE_KEY_RE = re.compile(r"^(?:[a-zA-Z-]+|none)$")
FORMAT_RE = re.compile(r"^[a-z]+/.+$")
RIGHTS_RE = re.compile(
    r"^http://(?:creativecommons\.org/licenses/|creativecommons\.org/publicdomain/|rightsstatements\.org/vocab/).+"
)
MANIFEST_PROPERTIES = {
    "@context", "id", "type", "label", "metadata", "summary", "requiredStatement", "rendering", "service",
    "services", "viewingDirection", "placeholderCanvas", "accompanyingCanvas", "rights", "start", "navDate",
    "navPlace", "provider", "seeAlso", "thumbnail", "homepage", "behavior", "partOf", "items", "structures",
    "annotations",
}  # fmt: skip
CONTENT_TYPES = {"Image", "Video", "Sound", "Text", "Dataset", "Model"}
IMAGE_SERVICE_PROFILES = {"level0", "level1", "level2"}


class Checker:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.ids: dict[str, str] = {}

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def id(self, where: str, resource: dict, *, unique: bool = False) -> str:
        value = resource.get("id")
        if not isinstance(value, str) or not value.startswith(("http://", "https://")):
            self.fail(where, f"id must be an http(s) URI, not {value!r}")
            return ""
        if "#" in value and resource.get("type") in {"Manifest", "Collection", "Canvas"}:
            self.fail(where, "a Manifest's, Collection's or Canvas's id has no fragment")
        if unique:
            if value in self.ids:
                self.fail(where, f"id {value} is also the id of {self.ids[value]}")
            self.ids[value] = where
        return value

    def type(self, where: str, resource: dict, *expected: str) -> None:
        if resource.get("type") not in expected:
            self.fail(where, f"type must be {' or '.join(expected)}, not {resource.get('type')!r}")

    def language_map(self, where: str, value, *, required: bool = False) -> None:
        if value is None:
            if required:
                self.fail(where, "is required")
            return
        if not isinstance(value, dict) or not value:
            self.fail(where, f"must be a non-empty language map, not {value!r}")
            return
        for key, strings in value.items():
            if not LANGUAGE_KEY_RE.match(key):
                self.fail(where, f"language {key!r} is not a BCP 47 tag or 'none'")
            if not isinstance(strings, list) or not strings or not all(isinstance(s, str) and s for s in strings):
                self.fail(where, f"value for {key!r} must be a list of non-empty strings")

    def key_values(self, where: str, pair) -> None:
        if not isinstance(pair, dict):
            self.fail(where, "must be an object with label and value")
            return
        self.language_map(f"{where}.label", pair.get("label"), required=True)
        self.language_map(f"{where}.value", pair.get("value"), required=True)

    def dimension(self, where: str, value) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            self.fail(where, f"must be a positive integer, not {value!r}")

    def duration(self, where: str, value) -> None:
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
            self.fail(where, f"must be a positive number, not {value!r}")

    def format(self, where: str, value) -> None:
        if value is not None and (not isinstance(value, str) or not FORMAT_RE.match(value)):
            self.fail(where, f"format must be a media type, not {value!r}")

    def linked(self, where: str, resources, *types: str) -> None:
        if not isinstance(resources, list) or not resources:
            self.fail(where, "must be a non-empty list")
            return
        for n, resource in enumerate(resources):
            self.id(f"{where}[{n}]", resource)
            self.type(f"{where}[{n}]", resource, *types)
            self.format(f"{where}[{n}]", resource.get("format"))
            if "label" in resource:
                self.language_map(f"{where}[{n}].label", resource["label"])

    def descriptive(self, where: str, resource: dict) -> None:
        """The descriptive and linking properties every resource may have (section 3)."""
        if "summary" in resource:
            self.language_map(f"{where}.summary", resource["summary"])
        if "metadata" in resource:
            if not isinstance(resource["metadata"], list):
                self.fail(f"{where}.metadata", "must be a list")
            else:
                for n, pair in enumerate(resource["metadata"]):
                    self.key_values(f"{where}.metadata[{n}]", pair)
        if "requiredStatement" in resource:
            self.key_values(f"{where}.requiredStatement", resource["requiredStatement"])
        if "rights" in resource and not (isinstance(resource["rights"], str) and RIGHTS_RE.match(resource["rights"])):
            rights = resource["rights"]
            self.fail(f"{where}.rights", f"must be a Creative Commons or RightsStatements.org URI, not {rights!r}")
        if "provider" in resource:
            self.linked(f"{where}.provider", resource["provider"], "Agent")
            for n, agent in enumerate(resource["provider"]):
                self.language_map(f"{where}.provider[{n}].label", agent.get("label"), required=True)
                if "homepage" in agent:
                    self.linked(f"{where}.provider[{n}].homepage", agent["homepage"], *CONTENT_TYPES)
        if "homepage" in resource:
            self.linked(f"{where}.homepage", resource["homepage"], *CONTENT_TYPES)
            for n, page in enumerate(resource["homepage"]):
                self.language_map(f"{where}.homepage[{n}].label", page.get("label"), required=True)
        if "thumbnail" in resource:
            self.linked(f"{where}.thumbnail", resource["thumbnail"], *CONTENT_TYPES)
        if "partOf" in resource:
            self.linked(f"{where}.partOf", resource["partOf"], "Collection", "Manifest")

    def services(self, where: str, services) -> list[dict]:
        if not isinstance(services, list) or not services:
            self.fail(where, "must be a non-empty list of services")
            return []
        found = []
        for n, service in enumerate(services):
            self.id(f"{where}[{n}]", service)
            if service.get("type") == "ImageService3":
                if service.get("profile") not in IMAGE_SERVICE_PROFILES:
                    profile = service.get("profile")
                    self.fail(f"{where}[{n}]", f"an ImageService3's profile is level0–2, not {profile!r}")
                if str(service.get("id", "")).endswith("/info.json"):
                    self.fail(f"{where}[{n}]", "an image service's id is its base URI, without /info.json")
                found.append(service)
            elif not isinstance(service.get("type"), str):
                self.fail(f"{where}[{n}]", "a service has a type")
        return found

    def canvas(self, where: str, canvas: dict) -> None:
        canvas_id = self.id(where, canvas, unique=True)
        self.type(where, canvas, "Canvas")
        if "label" in canvas:
            self.language_map(f"{where}.label", canvas["label"])
        has_width, has_height = "width" in canvas, "height" in canvas
        if has_width != has_height:
            self.fail(where, "a Canvas with a width has a height, and the other way round")
        for name in ("width", "height"):
            if name in canvas:
                self.dimension(f"{where}.{name}", canvas[name])
        if "duration" in canvas:
            self.duration(f"{where}.duration", canvas["duration"])
        if not (has_width or has_height) and "duration" not in canvas:
            self.fail(where, "a Canvas has a width and height, a duration, or both")
        self.descriptive(where, canvas)
        pages = canvas.get("items")
        if not isinstance(pages, list) or not pages:
            self.fail(f"{where}.items", "a Canvas's items are a non-empty list of AnnotationPages")
            return
        for p, page in enumerate(pages):
            page_where = f"{where}.items[{p}]"
            self.id(page_where, page, unique=True)
            self.type(page_where, page, "AnnotationPage")
            annotations = page.get("items")
            if not isinstance(annotations, list) or not annotations:
                self.fail(f"{page_where}.items", "an AnnotationPage's items are a non-empty list of Annotations")
                continue
            for a, annotation in enumerate(annotations):
                self.annotation(f"{page_where}.items[{a}]", annotation, canvas_id, canvas)

    def annotation(self, where: str, annotation: dict, canvas_id: str, canvas: dict) -> None:
        self.id(where, annotation, unique=True)
        self.type(where, annotation, "Annotation")
        if annotation.get("motivation") != "painting":
            self.fail(where, "the content of a Canvas is painted (motivation 'painting')")
        target = annotation.get("target")
        if not isinstance(target, str) or target.split("#")[0] != canvas_id:
            self.fail(where, f"a painting annotation targets its Canvas {canvas_id}, not {target!r}")
        body = annotation.get("body")
        if not isinstance(body, dict):
            self.fail(f"{where}.body", "must be one content resource")
            return
        self.id(f"{where}.body", body)
        self.type(f"{where}.body", body, *CONTENT_TYPES)
        self.format(f"{where}.body", body.get("format"))
        for name in ("width", "height"):
            if name in body:
                self.dimension(f"{where}.body.{name}", body[name])
        if "duration" in body:
            self.duration(f"{where}.body.duration", body["duration"])
            if "duration" not in canvas:
                self.fail(f"{where}.body", "a resource with a duration is painted on a Canvas with a duration")
        sizes = [body.get("width"), body.get("height"), canvas.get("width"), canvas.get("height")]
        if body.get("type") == "Image" and all(isinstance(n, int) and n > 0 for n in sizes):
            width, height, canvas_width, canvas_height = sizes
            if abs(width / height - canvas_width / canvas_height) > 0.02:
                self.fail(f"{where}.body", "the picture painted on the whole Canvas keeps the Canvas's proportions")
        if "service" in body:
            self.services(f"{where}.body.service", body["service"])
        elif body.get("type") == "Image":
            self.fail(f"{where}.body", "a deep-zoom picture names its image service")


def presentation3_problems(document: dict) -> list[str]:
    """What in a Manifest or Collection (with its context) breaks the Presentation 3 rules above."""
    checker = Checker()
    kind = document.get("type")
    if document.get("@context") != CONTEXT and not (
        isinstance(document.get("@context"), list) and document["@context"][-1:] == [CONTEXT]
    ):
        checker.fail("@context", f"must be (or end with) {CONTEXT}")
    checker.id(kind or "document", document, unique=True)
    checker.type("document", document, "Manifest", "Collection")
    checker.language_map("label", document.get("label"), required=True)
    checker.descriptive(kind or "document", document)
    items = document.get("items")
    if kind == "Manifest":
        for extra in sorted(set(document) - MANIFEST_PROPERTIES):
            checker.fail("Manifest", f"{extra!r} is not a property of a Manifest")
        if not isinstance(items, list) or not items:
            checker.fail("Manifest.items", "a Manifest has at least one Canvas")
        else:
            for n, canvas in enumerate(items):
                checker.canvas(f"Manifest.items[{n}]", canvas)
    elif kind == "Collection":
        if not isinstance(items, list):
            checker.fail("Collection.items", "a Collection's items are a list")
        else:
            for n, member in enumerate(items):
                where = f"Collection.items[{n}]"
                checker.id(where, member, unique=True)
                checker.type(where, member, "Manifest", "Collection")
                checker.language_map(f"{where}.label", member.get("label"), required=True)
                if "items" in member:
                    checker.fail(where, "a Collection refers to a Manifest by id, type and label, without its items")
    return checker.problems


def image_services(document: dict) -> list[tuple[dict, dict, dict]]:
    """(canvas, body, image service) of each painted picture of a manifest."""
    found = []
    for canvas in document.get("items", []):
        for page in canvas.get("items", []):
            for annotation in page.get("items", []):
                body = annotation.get("body", {})
                for service in body.get("service", []):
                    if service.get("type") == "ImageService3":
                        found.append((canvas, body, service))
    return found
