/// The console's stylesheet, served from `/console/static/console.css` (the policy allows no inline style).
enum ConsoleStyle {
    static let css = """
        body{font-family:system-ui,sans-serif;margin:0;line-height:1.45;color:#1b1f24;background:#fafafa}
        header{display:flex;gap:1em;align-items:center;padding:.5em 1em;background:#1f3a5f;color:#fff}
        header a{color:#fff;font-weight:bold;text-decoration:none}header form{margin-left:auto}
        nav ul{display:flex;gap:1.5em;list-style:none;margin:0;padding:.5em 1em;background:#e8eef5}
        nav a{color:#1f3a5f}a:focus,button:focus,input:focus,select:focus{outline:3px solid #f0a000}
        main{padding:1em;max-width:80em}table{border-collapse:collapse;width:100%;font-size:.9em}
        th,td{border-bottom:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top}
        .flash{background:#e6f4ea;padding:.5em}.error{background:#fdecea;padding:.5em}
        form.filters label,form#filters label{margin-right:.5em}pre{white-space:pre-wrap;background:#fff;padding:.5em}
        iframe{width:100%;height:30em;border:1px solid #ccc;background:#fff}svg#chart{width:100%;height:10em}
        .s-marketing-sent{fill:#2e7d32}.s-sales-sent{fill:#1565c0}.s-marketing-deferred,.s-sales-deferred{fill:#f9a825}
        .s-marketing-failed,.s-sales-failed{fill:#c62828}.s-marketing-unknown,.s-sales-unknown{fill:#6a1b9a}
        .legend span{margin-right:1em}.legend .s-marketing-sent{color:#2e7d32}.legend .s-sales-sent{color:#1565c0}
        .legend .s-marketing-deferred{color:#b8860b}.legend .s-marketing-failed{color:#c62828}
        .legend .s-marketing-unknown{color:#6a1b9a}form.inline{display:inline}
        """
}
