import Foundation
import NurtureConfig
import NurtureCore
import NurtureSMTP

/// Shared set-up: the shipped configuration with one API token.
enum HTTPTestSupport {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let token = "fuzz-0123456789abcdef0123456789abcdef"

    /// `config/nurture.yaml` with a token named `tests` and a kernel-chosen port.
    static func configuration() throws -> NurtureConfiguration {
        var configuration = try ConfigurationLoader(environment: [:]).load(
            file: repositoryRoot.appendingPathComponent("config/nurture.yaml").path)
        configuration.http.tokens = [APIToken(name: "tests", secret: Secret(token))]
        configuration.http.port = 0
        return configuration
    }
}
