import Foundation
import NurtureCore
import NurtureSQLite
import NurtureTestSupport
import Testing

/// The console's queries (``StoreContract/ConsoleBehaviour``) against ``SQLiteStore``, each on a new file.
@Suite struct SQLiteConsoleQueriesTests {
    @Test(arguments: StoreContract.ConsoleBehaviour.allCases)
    func console(_ behaviour: StoreContract.ConsoleBehaviour) async throws {
        try await withTemporaryDirectory { directory in
            let contract = StoreContract {
                try SQLiteStore(path: directory.appendingPathComponent("store.sqlite").path)
            }
            try await contract.checkConsole(behaviour)
        }
    }
}
