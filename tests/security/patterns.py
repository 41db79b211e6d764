"""Every URL pattern of the project, found through the resolver (namespaces included)."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Pattern:
    key: str  # "namespace:name", or the route for unnamed patterns
    route: str
    callback: object

    @property
    def name(self):
        return self.key if ":" in self.key or not self.key.startswith("/") else None


def all_patterns() -> list[Pattern]:
    found = []

    def walk(resolver, prefix, namespace):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                ns = namespace
                if entry.namespace:
                    ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry, prefix + str(entry.pattern), ns)
            elif isinstance(entry, URLPattern):
                route = prefix + str(entry.pattern)
                if entry.name:
                    key = f"{namespace}:{entry.name}" if namespace else entry.name
                else:
                    key = "/" + route
                found.append(Pattern(key=key, route=route, callback=entry.callback))

    walk(get_resolver(), "", None)
    return found
