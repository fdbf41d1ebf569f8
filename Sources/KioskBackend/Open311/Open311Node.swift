import Foundation

/// One GeoReport v2 answer as a tree that renders to both formats of the standard.
///
/// The standard defines XML (schemaless, no namespace) and derives JSON from it by
/// the Spark convention: a list element becomes an array of its items, a record an
/// object, an empty element `null`. Building the tree once and rendering it twice
/// keeps the two formats from drifting apart.
/// See https://wiki.open311.org/GeoReport_v2#format-support.
indirect enum Open311Node: Sendable {
    /// Text; nil is an empty element in XML and `null` in JSON.
    case text(String?)
    /// A decimal such as a latitude; nil as for `text`.
    case number(Double?)
    case integer(Int)
    case bool(Bool)
    /// A list whose items are each wrapped in an element of this name in XML (`service`, `request`, `value`).
    case list(item: String, [Open311Node])
    /// Named fields in order.
    case record([(String, Open311Node)])
}

/// The two formats of the standard, chosen by the suffix of the last path segment.
enum Open311Format: String, Sendable {
    case json, xml

    /// The MIME type, as Service Discovery lists formats.
    var mimeType: String {
        switch self {
        case .json: "application/json"
        case .xml: "text/xml"
        }
    }

    var contentType: String {
        switch self {
        case .json: "application/json; charset=utf-8"
        case .xml: "text/xml; charset=utf-8"
        }
    }

    /// Renders `node` with `root` as the XML document element (JSON has no root name).
    func render(root: String, _ node: Open311Node) -> [UInt8] {
        switch self {
        case .json:
            var out = ""
            Open311JSON.write(node, to: &out)
            return Array(out.utf8)
        case .xml:
            return Array(Open311XML.document(root: root, node).utf8)
        }
    }

    func response(root: String, _ node: Open311Node, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", contentType)], body: render(root: root, node))
    }
}

/// A resource's name as the router captures `{name}.{format}` (`overlast.zwerfvuil.json`:
/// `overlast.zwerfvuil`, JSON). A name that ends in neither format is answered in the format
/// it seems to want, XML (the required one) unless it ends in `json`, and `check` refuses it.
struct Open311File: Equatable {
    let name: String
    let format: Open311Format
    /// The name as requested when its extension is neither format.
    let unknown: String?

    init(name: String, ext: String?) {
        self.name = name
        if let ext, let format = Open311Format(rawValue: ext.lowercased()) {
            self.format = format
            unknown = nil
        } else {
            let file = ext.map { "\(name).\($0)" } ?? name
            format = file.lowercased().hasSuffix("json") ? .json : .xml
            unknown = file
        }
    }

    init(_ ctx: RequestContext, _ name: String) {
        self.init(name: ctx.parameter(name), ext: ctx.parameters["format"])
    }

    func check() throws(Open311Error) {
        if let unknown { throw Open311Error.unknownFormat(unknown) }
    }
}

/// Writes JSON by hand so fields keep the order of the standard's tables and
/// nil stays an explicit `null` (as in the standard's examples).
enum Open311JSON {
    static func write(_ node: Open311Node, to out: inout String) {
        switch node {
        case .text(nil), .number(nil):
            out += "null"
        case .text(let s?):
            string(s, to: &out)
        case .number(let d?):
            out += d.isFinite ? "\(d)" : "null"
        case .integer(let i):
            out += "\(i)"
        case .bool(let b):
            out += b ? "true" : "false"
        case .list(_, let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                write(item, to: &out)
            }
            out += "]"
        case .record(let fields):
            out += "{"
            for (i, (name, value)) in fields.enumerated() {
                if i > 0 { out += "," }
                string(name, to: &out)
                out += ":"
                write(value, to: &out)
            }
            out += "}"
        }
    }

    /// A JSON string literal (RFC 8259 section 7): quote, backslash and control characters escaped.
    static func string(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += String(format: "\\u%04x", scalar.value)
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
