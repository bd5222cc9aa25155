/// The snapshots of the standards this model follows. Every `Fetch §…` comment in the library refers to
/// these; re-pinning means changing this file and every § number in the same commit.
///
/// Anchors (`#concept-cors-check`) survive renumbering, so every citation carries one.
public enum FetchStandard {
  /// whatwg/fetch `fetch.bs` at commit 586cd2a, 2026-07-02.
  public static let fetchCommit = "586cd2a"
  /// The date of the pinned Fetch snapshot.
  public static let fetchDate = "2026-07-02"
  /// whatwg/url `url.bs` at commit 6ae8486, 2026-07-02.
  public static let urlCommit = "6ae8486"
  /// whatwg/xhr `xhr.bs` at commit d375b28, 2026-05-14.
  public static let xhrCommit = "d375b28"
  /// w3c/webappsec-mixed-content `index.bs` at commit a4eacec, 2026-01-08.
  public static let mixedContentCommit = "a4eacec"
  /// WICG/local-network-access `index.bs` at commit cfe0313, 2026-04-22.
  public static let localNetworkAccessCommit = "cfe0313"
  /// w3c/webappsec-subresource-integrity `index.bs` (Integrity-Policy) at commit 632bf53, 2026-03-20.
  public static let subresourceIntegrityCommit = "632bf53"
  /// annevk/orb `README.md` (opaque-response blocking, not yet in fetch.bs: whatwg/fetch#1442) at commit 61c1be7,
  /// 2022-08-24.
  public static let opaqueResponseBlockingCommit = "61c1be7"

  /// The published page an anchor such as `#concept-cors-check` belongs to.
  public static func link(_ anchor: String) -> String {
    "https://fetch.spec.whatwg.org/" + (anchor.hasPrefix("#") ? anchor : "#" + anchor)
  }
}
