import Domain
import Foundation

/// What the back-office page needs beyond the public config: the departments and
/// special procedures a signal can be routed to (internal, so not in /api/v1/config).
struct BackOfficeConfigResource: Encodable {
    struct Department: Encodable {
        let key: String
        let name: [String: String]
    }

    struct Procedure: Encodable {
        let key: String
        let name: [String: String]
        let department: String
    }

    let departments: [Department]
    let specialProcedures: [Procedure]

    init(_ c: CityConfig) {
        departments = c.departments.map { Department(key: $0.key, name: $0.name.resolved(c.languages)) }
        specialProcedures = c.specialProcedures.map {
            Procedure(key: $0.key, name: $0.name.resolved(c.languages), department: $0.department)
        }
    }

    enum CodingKeys: String, CodingKey {
        case departments
        case specialProcedures = "special_procedures"
    }
}
