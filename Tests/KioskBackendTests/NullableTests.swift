import GRDB
@testable import KioskBackend
import Testing

/// A resource names every key of the interface: an absent optional member (``Nullable``) is
/// written as `null`, not left out; the photo's links are part of it, its unknown time is left out.
struct NullableTests {
    @Test func absentOptionalsAreNull() {
        let session = SessionResource(role: "coordinator", name: "An", site: nil, department: nil)
        #expect(HTTPResponse.json(session).bodyText == #"{"department":null,"name":"An","role":"coordinator","site":null}"#)
        let bound = SessionResource(role: "desk", name: "Balie", site: "stadhuis", department: nil)
        #expect(HTTPResponse.json(bound).bodyText == #"{"department":null,"name":"Balie","role":"desk","site":"stadhuis"}"#)
        let mail = MailStatusResource(configured: false, queued: 0, failed: 2, oldestQueuedAt: nil)
        #expect(HTTPResponse.json(mail).bodyText == #"{"configured":false,"failed":2,"oldest_queued_at":null,"queued":0}"#)
    }

    @Test func aPhotoCarriesItsLinks() {
        let photo = PhotoResource(id: "p1", mediaType: "image/jpeg", bytes: 10, width: 4, height: 3, reference: "OP-ABCD-EFGH")
        #expect(HTTPResponse.json(photo).bodyText == #"{"bytes":10,"height":3,"id":"p1","media_type":"image/jpeg","#
            + #""reference":"OP-ABCD-EFGH","thumbnail_url":"/api/v1/signals/OP-ABCD-EFGH/photos/p1/thumbnail","#
            + #""url":"/api/v1/signals/OP-ABCD-EFGH/photos/p1","width":4}"#)
    }

    @Test func anAddressNamesItsBoxAndDistrictWhenItHasNone() {
        let row: Row = [
            "street": "Kapellestraat", "house_number": "12", "box": nil, "postcode": "8400", "municipality": "Oostende",
            "lat": 51.25, "lon": 2.5, "district": nil,
        ]
        #expect(HTTPResponse.json(AddressResource(row: row)).bodyText
            == #"{"address":"Kapellestraat 12, 8400 Oostende","box":null,"district":null,"house_number":"12","lat":51.25,"#
            + #""lon":2.5,"municipality":"Oostende","postcode":"8400","street":"Kapellestraat"}"#)
        let boxed: Row = [
            "street": "Kapellestraat", "house_number": "12", "box": "3", "postcode": "8400", "municipality": "Oostende",
            "lat": 51.25, "lon": 2.5, "district": "centrum",
        ]
        #expect(AddressResource(row: boxed).address == "Kapellestraat 12 bus 3, 8400 Oostende")
    }
}
