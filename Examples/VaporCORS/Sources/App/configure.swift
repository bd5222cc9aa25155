import Vapor

/// The application's CORS configuration, as a team writes it: the frontend at https://app.example.com reads
/// and writes with cookies.
public let corsConfiguration = CORSMiddleware.Configuration(
  allowedOrigin: .any(["https://app.example.com"]),
  allowedMethods: [.GET, .PUT],
  allowedHeaders: [.contentType],
  allowCredentials: true,
  cacheExpiration: 600)

/// Installs the middleware and the routes.
public func configure(_ app: Application, cors: CORSMiddleware.Configuration = corsConfiguration) {
  // First, so that error answers carry the CORS headers too.
  app.middleware.use(CORSMiddleware(configuration: cors), at: .beginning)
  app.get("me") { _ in ["user": "alice"] }
  app.put("me") { _ in ["saved": true] }
}
