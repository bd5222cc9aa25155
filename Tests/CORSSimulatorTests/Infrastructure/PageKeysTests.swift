import Testing
@testable import CORSSimulator

/// What every fetch of a page needs is worked out once per page, and the URL's part of it is kept on each thread for
/// the last page's URL record (`FetchRun.PageKeys.LastPage`): it must be what the page's own properties say, however
/// the page and its URL are made, whichever page came before.
@Suite("A page's keys: its origin's serialization, secure context and embedder policy, worked out once")
struct PageKeysTests {
  static let urls = [
    "https://app.example/x", "http://app.example:8080/", "http://localhost:3000/", "http://127.0.0.1/",
    "http://[::1]:8080/", "http://sub.localhost/", "file:///home/a/index.html", "data:text/html,hi", "about:blank",
    "wss://ws.example/", "http://xn--nxasmq6b.example/", "https://app.example:443/", "blob:https://app.example/1",
  ]

  @Test("each key equals the page's own property, sandboxed or not, after the same page or another, one record or two")
  func keysEqualThePagesProperties() throws {
    for text in Self.urls {
      let url = try URLRecord(text)
      for sandboxed in [false, true] {
        for policy in EmbedderPolicy.allCases {
          let page = Page(url: url, sandboxed: sandboxed, embedderPolicy: policy)
          // The first of these after another page works the URL's part out; the second reads it back.
          for _ in 0..<2 {
            let keys = FetchRun.PageKeys(page)
            #expect(keys.origin == page.origin, "\(text)")
            #expect(keys.serializedOrigin == page.origin.serialization, "\(text) sandboxed: \(sandboxed)")
            #expect(keys.isSecureContext == page.isSecureContext, "\(text)")
            #expect(keys.embedderPolicy == page.effectiveEmbedderPolicy, "\(text)")
          }
        }
      }
      // Another record for the same text works its facts out afresh, to the same values.
      let again = FetchRun.PageKeys(Page(url: try URLRecord(text)))
      #expect(again.serializedOrigin == url.origin.serialization)
      #expect(again.isSecureContext == url.isPotentiallyTrustworthy())
    }
  }

  @Test("threads making simulators for pages side by side each get the pages' own keys")
  func sharedBetweenThreads() async throws {
    let records = try Self.urls.map { try URLRecord($0) }
    await withTaskGroup(of: Bool.self) { group in
      for k in 0..<64 {
        group.addTask {
          let url = records[k % records.count]
          let keys = FetchRun.PageKeys(Page(url: url))
          return keys.serializedOrigin == url.origin.serialization
            && keys.isSecureContext == url.isPotentiallyTrustworthy()
        }
      }
      for await agrees in group { #expect(agrees) }
    }
  }
}
