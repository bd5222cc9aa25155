/// Applying a fix's edits: the one rule every tool shares (the oracle's `fixes`, the REPL's `fix apply`, the
/// verification over the Spec corpus).
///
/// A server edit changes the response to METHOD URL:
/// - made in the layer that answers it (`app`, or the layer named by a route's `by=`): the route that would
///   answer the request (method or `*`, then URL) is edited; when that is a route for any method (`*`), a
///   route for this method alone is inserted before it as its copy, and the copy is edited; when no route
///   answers, a new route is added (status 200 unless the edit sets one, no header lines);
/// - made in a layer in front of the route (a proxy whose own lines would override the route's): a layer of
///   that name scoped to this URL and method (`layer NAME on URL for METHOD`) is inserted right after the
///   layer, setting or removing the header — the layer's other responses stay as they were;
/// - a status is always the route's (layers do not set statuses).
/// A server with a responder (a policy acting as middleware) gets the route edits on the responder's answers
/// too. An edit whose URL does not parse is skipped.
extension Server {
  /// The server with the edits made, in order.
  public func applying(_ edits: [Fix.ServerEdit]) -> Server { applying(edits, normalized: false) }

  /// `applying`, where `normalized` says each edit's URL is already an href without fragment (the planner's
  /// own edits): it is then parsed only for a route it adds.
  func applying(_ edits: [Fix.ServerEdit], normalized: Bool) -> Server {
    if edits.isEmpty { return self }
    var server = self
    var layers = self.layers
    var routeEdits: [(Method, String, Fix.ServerChange)] = []
    for edit in edits {
      let href: String
      if normalized { href = edit.response.url } else {
        guard let url = try? URLRecord(edit.response.url) else { continue }
        href = url.hrefWithoutFragment
      }
      let method = Method(edit.response.method)
      server.touch(href)
      let index = server.routeIndex(method: method, href: href)
      let owner = index.map { server.routes[$0].answeredBy } ?? Layer.application
      let header = edit.change.header
      if let header, edit.layer != owner, let after = layers.lastIndex(where: { $0.name == edit.layer }) {
        // In a layer in front of the route: a layer of that name for this URL and method, right after it.
        var at = layers.firstIndex { $0.name == edit.layer && $0.urlPrefix == href && $0.method == method }
        if at == nil {
          layers.insert(Layer(name: edit.layer, urlPrefix: href, method: method, operations: []), at: after + 1)
          at = after + 1
        }
        layers[at!].operations.removeAll { $0.headerName == header.name }
        layers[at!].operations.append(header.value.map { .set(header.name, $0) } ?? .remove(header.name))
        continue
      }
      if let index, server.routes[index].method == method {
        var route = server.routes[index]
        route.apply(edit.change)
        server.replaceRoute(at: index, with: route)
      } else if let index {
        // A route for any method also answers the others: copy it for this method, before it.
        var copy = server.routes[index]
        copy.method = method
        copy.apply(edit.change)
        server.insertRoute(copy, at: index)
      } else {
        guard let url = try? URLRecord(href) else { continue }
        var route = Route(method: method, url: url, status: 200, headers: [],
                          answeredBy: layers.contains { $0.name == edit.layer } ? edit.layer : Layer.application)
        route.apply(edit.change)
        server.addRoute(route)
      }
      routeEdits.append((method, href, edit.change))
    }
    if layers != self.layers { server.replaceLayers(layers) }
    if let inner = responder, !routeEdits.isEmpty {
      let routeEdits = routeEdits
      server.responder = Responder(name: inner.name) { request in
        guard var route = inner(request) else { return nil }
        let href = request.url.hrefWithoutFragment
        for (method, url, change) in routeEdits where method == request.method && url == href { route.apply(change) }
        return route
      }
    }
    return server
  }
}

extension Route {
  mutating func apply(_ change: Fix.ServerChange) {
    switch change {
    case .status(let s), .addResponse(let s): status = s
    case .setHeader(let name, let value): headers.set(HeaderName(name), value)
    case .removeHeader(let name): headers.delete(HeaderName(name))
    }
  }
}

extension LayerOperation {
  /// The header the operation is about.
  var headerName: HeaderName {
    switch self {
    case .add(let n, _), .set(let n, _), .remove(let n), .setIfAbsent(let n, _): return n
    }
  }
}

extension ScriptRequest {
  /// The request with a client edit's change made. The URL is resolved against `base` (the page's URL) when
  /// its scheme changes.
  public func applying(_ change: Fix.ClientChange, base: URLRecord?) -> ScriptRequest {
    var r = self
    switch change {
    case .credentials(let v): r.credentials = Credentials(rawValue: v)
    case .mode(let v): r.mode = Mode(rawValue: v)
    case .redirect(let v): r.redirect = Redirect(rawValue: v)
    case .crossOrigin(let v): r.crossOrigin = CrossOrigin(rawValue: v)
    case .url(let v): r.url = v
    case .scheme(let v):
      if let url = try? URLRecord(r.url, base: base) { r.url = url.replacing(scheme: v).href }
    case .removeHeader(let name): r.headers.delete(HeaderName(name))
    }
    return r
  }
}
