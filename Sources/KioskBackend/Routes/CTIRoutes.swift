import CallLog
import Domain
import Foundation
import Logging

/// The telephone exchange's call events (docs/interface.md §8): the generic CTI push.
enum CTIRoutes {
    static func routes(_ env: AppEnvironment) -> [Route] {
        [
            // The token is in the path since exchanges often cannot set headers;
            // `Application.authenticate` reads it from `{token}` (or a Bearer header).
            Route("POST", "/api/v1/cti/{token}", personalData: false) { ctx in
                try ctx.require([.pbx], to: "post call events")
                let arrival = env.now()
                let line = env.config.phoneLine
                let window = CallEventWindow(
                    behindMinutes: line.eventWindowBehindMinutes, aheadMinutes: line.eventWindowAheadMinutes)
                // A body that cannot be read is a `CTIBody.DecodeError`, answered 400 or 415 like any `HTTPError`.
                let fields = try CTIBody.fields(
                    body: ctx.request.body, mediaType: ctx.request.header("content-type"), query: ctx.request.query)
                let event = try CallEvent.parse(fields)
                // The exchange's clock is trusted only near ours: nothing outside the window is stored.
                try window.check(event, fields: fields, now: arrival)
                let reporter = ctx.caller.name
                let row = try await env.store.write { db in
                    try CallQueries.apply(event, at: arrival, reporter: reporter, db: db)
                }
                // Only the event's metadata: never a number or an agent's name.
                var metadata = event.logMetadata
                metadata["call.state"] = .string(row.record.state.rawValue)
                env.logger.debug("call event", metadata: metadata)
                return .json([String: String]())
            }
        ]
    }
}
