import Foundation
import NurtureCore
import NurtureSQLite
import Testing

/// The protocol suite against ``SQLiteStore``, each behaviour on a new file.
@Suite struct SQLiteStoreContractTests {
    @Test(arguments: StoreContract.Behaviour.allCases)
    func contract(_ behaviour: StoreContract.Behaviour) throws {
        try withTemporaryDirectory { directory in
            var count = 0
            let contract = StoreContract {
                count += 1
                return try SQLiteStore(path: directory.appendingPathComponent("store-\(count).sqlite").path)
            }
            try contract.check(behaviour)
        }
    }

    @Test(arguments: StoreContract.LeadChangeBehaviour.allCases)
    func leadChange(_ behaviour: StoreContract.LeadChangeBehaviour) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "nurture-store-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let contract = StoreContract {
            try SQLiteStore(path: directory.appendingPathComponent("store.sqlite").path)
        }
        try await contract.check(behaviour)
    }
}
