// The property-based test printed in README.md and docs/AUDIT.md, verbatim: it must compile and pass.
import CORSPolicy
import CORSPropertyTesting
import PropertyBased
import Testing

// sample begin
let policy = """
  resource: https://api.example.com/v1/me
  origins: [https://app.example.com, https://admin.example.com]
  credentials: true
  methods: [GET, PUT]
  requestHeaders: [Content-Type]
  maxAge: 600
  frontend:
    - { method: PUT, headers: { Content-Type: application/json }, credentials: include }
  """

@Test(.shrinking) func corsPolicyHolds() async throws {
  let harness = PolicyHarness(document: try PolicyDocument(text: policy))
  // The built-in properties: over the frontend's requests from every allowed origin in every engine,
  // then over 300 generated (origin, request, engine) trials.
  await corsPropertyCheck(harness)
  // A property of your own.
  let noTokenLeak = PolicyProperty("X-Token is never exposed") { trial in
    trial.verdict.exposedHeaders?.contains("x-token") == true ? "x-token is readable from \(trial.origin)" : nil
  }
  await corsPropertyCheck(harness, properties: [noTokenLeak])
}
// sample end
