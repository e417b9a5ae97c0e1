import Foundation
import NurtureCore
import NurtureSQLite
import NurtureTestSupport
import Testing

/// The protocol suite (``StoreContract``, in `NurtureTestSupport`) against ``SQLiteStore``, each behaviour on a
/// new file.
@Suite struct SQLiteStoreContractTests {
    @Test(arguments: StoreContract.Behaviour.allCases)
    func contract(_ behaviour: StoreContract.Behaviour) async throws {
        try await withTemporaryDirectory { directory in
            var count = 0
            let contract = StoreContract {
                count += 1
                return try SQLiteStore(path: directory.appendingPathComponent("store-\(count).sqlite").path)
            }
            try await contract.check(behaviour)
        }
    }

}
