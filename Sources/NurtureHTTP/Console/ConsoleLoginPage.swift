/// `GET /console/login`: the login form (and, after a refused login, the error).
enum ConsoleLoginPage {
    private static let template = ConsoleHTML.template(
        """
        <h1>Log in</h1>
        {{#error}}<p class="error" role="alert">{{.}}</p>{{/error}}
        <form id="login" method="post" action="/console/login">
        <input type="hidden" name="csrf" value="{{csrf}}">
        {{#next}}<input type="hidden" name="next" value="{{.}}">{{/next}}
        <p><label for="username">User name</label>
        <input id="username" name="username" autocomplete="username" required value="{{username}}"></p>
        <p><label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required></p>
        <p><button type="submit">Log in</button></p>
        </form>
        """)

    static func render(csrf: String, next: String?, username: String, error: String?) -> String {
        var context: [String: Any] = ["csrf": csrf, "username": username]
        if let next { context["next"] = next }
        if let error { context["error"] = error }
        let body = template.render(context)
        return ConsoleLayout.page(.init(title: "Log in", session: nil, csrf: csrf, flash: nil), body: body)
    }
}
