#!/usr/bin/env python3
"""The operator console in a real browser: headless Chromium driven by Selenium through the installed chromedriver.

Run by Tests/NurtureCLITests/ConsoleBrowserTests.swift against a running daemon that has a console user and a
seeded store. It walks the console as an operator would and prints one line per check:

    PASS <check>            the check held
    FAIL <check>: <why>     the check did not hold (the script then exits 1)

Checks: a page without a session goes to the login page; a wrong password is refused with an alert; log in;
every page has the navigation, one <h1> and the logout form; Tab reaches the navigation links and the filter
form, the focused element is visibly marked, Enter submits the filter; the send log filters by lead prefix and
by state; a send's detail page links to its lead, whose page shows the timeline and the why; the funnel; the
template preview (subject, text part, HTML part in a sandboxed iframe); resending an `unknown` send (the flash
message on the send's page); a lead whose name is markup renders as inert text on every page
that shows it; a viewer sees no action button; the pages work with JavaScript turned off; and the browser logs
no error (SEVERE entries, which include Content-Security-Policy violations) on any page. A screenshot of every
page goes to --screenshots as console-<page>.png.

Exit status: 0 when every check passed, 1 when one failed, 2 when the browser could not be started.
"""
import argparse
import os
import sys
import traceback
import urllib.parse

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, NoSuchElementException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

NAV_LINKS = ["Overview", "Send log", "Sequences", "Preview"]


class Failed(Exception):
    """A check that did not hold; the message says what was seen."""


class Console:
    """One browser session on the console, with the checks' bookkeeping."""

    def __init__(self, args, javascript=True):
        self.args = args
        self.base = args.base.rstrip("/")
        self.failures = []
        self.passes = 0
        self.errors = []  # (page, message) of every SEVERE browser log entry
        options = webdriver.ChromeOptions()
        options.binary_location = args.chromium
        for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1280,900", "--no-first-run", "--disable-extensions",
                     "--disable-background-networking", "--lang=en-US"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        if not javascript:
            options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
        self.driver = webdriver.Chrome(service=Service(executable_path=args.chromedriver), options=options)
        self.driver.set_page_load_timeout(30)

    # Bookkeeping -------------------------------------------------------------------------------------------

    def check(self, name, condition, detail=""):
        if condition:
            self.passes += 1
            print("PASS " + name, flush=True)
        else:
            self.failures.append(name)
            print("FAIL %s: %s" % (name, detail), flush=True)
        return condition

    def drain_log(self, page, expected=()):
        """Reads the browser's log since the last read; SEVERE entries are errors unless `expected` names them."""
        for entry in self.driver.get_log("browser"):
            if entry.get("level") != "SEVERE":
                continue
            message = entry.get("message", "")
            if any(part in message for part in expected):
                print("NOTE expected browser error on %s: %s" % (page, message), flush=True)
                continue
            self.errors.append((page, message))

    def screenshot(self, name):
        if not self.args.screenshots:
            return
        os.makedirs(self.args.screenshots, exist_ok=True)
        path = os.path.join(self.args.screenshots, "console-%s.png" % name)
        self.driver.save_screenshot(path)

    # Navigation --------------------------------------------------------------------------------------------

    def url(self, path, **query):
        query = {key: value for key, value in query.items() if value is not None}
        return self.base + path + ("?" + urllib.parse.urlencode(query) if query else "")

    def open(self, path, **query):
        self.driver.get(self.url(path, **query))
        self.drain_log(path)

    def path(self):
        return urllib.parse.urlsplit(self.driver.current_url).path

    def query(self):
        return urllib.parse.parse_qs(urllib.parse.urlsplit(self.driver.current_url).query)

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def exists(self, css):
        return len(self.find_all(css)) > 0

    def wait_for_path(self, path, timeout=10):
        try:
            WebDriverWait(self.driver, timeout).until(lambda driver: self.path() == path)
        except WebDriverException:
            pass
        return self.path() == path

    def submit_and_wait(self, element):
        """Submits `element`'s form (a click on a submit button, or Enter in a field) and waits for the new page."""
        old = self.find("html")
        element()
        try:
            WebDriverWait(self.driver, 15).until(lambda driver: self._stale(old))
        except WebDriverException:
            pass

    @staticmethod
    def _stale(element):
        try:
            element.tag_name
            return False
        except WebDriverException:
            return True

    def alert_text(self):
        """The text of an open JavaScript dialog, or None."""
        try:
            alert = self.driver.switch_to.alert
            text = alert.text
            alert.dismiss()
            return text
        except NoAlertPresentException:
            return None

    # The checks --------------------------------------------------------------------------------------------

    def page_frame(self, page):
        """Every page: the navigation with its four links, one <h1> in <main id="content">, a logout form."""
        names = [link.text.strip() for link in self.find_all("nav#console-nav a")]
        self.check(page + ": navigation has " + ", ".join(NAV_LINKS), all(name in names for name in NAV_LINKS),
                   "links seen: %r" % names)
        self.check(page + ": one <h1> in <main id=content>", len(self.find_all("main#content h1")) == 1,
                   "found %d" % len(self.find_all("main#content h1")))
        logout = [form for form in self.find_all("form")
                  if (form.get_attribute("action") or "").endswith("/console/logout")]
        self.check(page + ": a logout form", len(logout) == 1, "found %d" % len(logout))
        self.check(page + ": no alert", self.alert_text() is None, "a dialog opened")

    def login(self, username, password):
        self.driver.delete_all_cookies()
        self.open("/console")
        self.check("without a session /console goes to the login page", self.path() == "/console/login",
                   "landed on " + self.driver.current_url)
        self.check("login form has username, password, csrf and a submit button",
                   all(self.exists(css) for css in ('form#login input[name="username"]',
                                                    'form#login input[name="password"]',
                                                    'form#login input[name="csrf"]',
                                                    'form#login button[type="submit"]')))
        self.find('form#login input[name="username"]').send_keys(username)
        self.find('form#login input[name="password"]').send_keys(password)
        self.submit_and_wait(lambda: self.find('form#login button[type="submit"]').click())
        self.drain_log("/console/login (submitted)")
        return self.wait_for_path("/console")

    def wrong_password(self):
        self.driver.delete_all_cookies()
        self.open("/console/login")
        self.screenshot("login")
        self.find('form#login input[name="username"]').send_keys(self.args.username)
        self.find('form#login input[name="password"]').send_keys(self.args.password + "-wrong")
        self.submit_and_wait(lambda: self.find('form#login input[name="password"]').send_keys(Keys.ENTER))
        # The 401 page is the answer asked for: the browser logs its status as an error, which is expected here.
        self.drain_log("/console/login (wrong password)", expected=["401"])
        errors = self.find_all('p.error[role="alert"]')
        self.check("a wrong password is refused with an alert", len(errors) == 1 and errors[0].text.strip() != "",
                   "url %s, alerts %d" % (self.driver.current_url, len(errors)))
        self.open("/console")
        self.check("a refused login gives no session", self.path() == "/console/login", self.driver.current_url)

    def focus_state(self):
        """The focused element: tag, text, name, whether it matches :focus-visible and draws an outline or shadow."""
        return self.driver.execute_script("""
            const e = document.activeElement;
            if (!e || e === document.body) return null;
            const s = getComputedStyle(e);
            const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
            return {tag: e.tagName.toLowerCase(), text: (e.innerText || '').trim(), name: e.getAttribute('name'),
                    inNav: !!e.closest('nav#console-nav'), inFilters: !!e.closest('form#filters'),
                    visible: e.matches(':focus-visible') && (outline || s.boxShadow !== 'none')};
        """)

    def keyboard(self):
        """Tab from the top of the send log reaches every navigation link and the filter form, with a visible
        focus; typing a lead prefix and Enter submits the filter."""
        self.open("/console/sends")
        # No click first: a click moves the browser's sequential focus starting point to where it landed.
        seen_nav, invisible, lead_field = set(), [], None
        for _ in range(60):
            ActionChains(self.driver).send_keys(Keys.TAB).perform()
            state = self.focus_state()
            if state is None:
                continue
            if not state["visible"]:
                invisible.append("%s %r" % (state["tag"], state["text"] or state["name"]))
            if state["inNav"]:
                seen_nav.add(state["text"])
            if state["inFilters"] and state["name"] == "lead":
                lead_field = self.driver.switch_to.active_element
                break
        self.check("Tab reaches every navigation link", all(name in seen_nav for name in NAV_LINKS),
                   "focused in the nav: %r" % sorted(seen_nav))
        self.check("Tab reaches the filter form's lead field", lead_field is not None, "never focused")
        self.check("the focused element is visibly marked (:focus-visible with an outline or shadow)",
                   not invisible, "no visible focus on: %s" % ", ".join(invisible[:8]))
        if lead_field is None:
            return
        lead_field.clear()
        lead_field.send_keys(self.args.lead_prefix)
        self.submit_and_wait(lambda: lead_field.send_keys(Keys.ENTER))
        self.drain_log("/console/sends (Enter)")
        self.check("Enter in the filter form submits it", self.query().get("lead") == [self.args.lead_prefix],
                   "url " + self.driver.current_url)

    def send_log_rows(self):
        """(send id, row text) of every row of the send log table."""
        rows = []
        for row in self.find_all("table#send-log tbody tr"):
            links = row.find_elements(By.CSS_SELECTOR, "td:first-child a, th:first-child a")
            if not links:
                continue
            href = urllib.parse.urlsplit(links[0].get_attribute("href")).path
            rows.append((href.rsplit("/", 1)[-1], row.text))
        return rows

    def send_log(self):
        self.open("/console/sends")
        self.page_frame("send log")
        everything = self.send_log_rows()
        self.check("the send log lists sends", len(everything) > 0, "no rows")
        self.screenshot("sends")
        # Filter by lead prefix through the form.
        field = self.find('form#filters input[name="lead"]')
        field.clear()
        field.send_keys(self.args.lead_prefix)
        button = self.find_all('form#filters button[type="submit"], form#filters input[type="submit"]')
        self.submit_and_wait(lambda: (button[0].click() if button else field.send_keys(Keys.ENTER)))
        self.drain_log("/console/sends?lead=")
        rows = self.send_log_rows()
        self.check("filtering by lead prefix keeps only that lead's rows",
                   rows and all(self.args.lead_prefix in text for _, text in rows) and len(rows) < len(everything),
                   "%d rows of %d: %r" % (len(rows), len(everything), [text for _, text in rows][:5]))
        # Filter by state: the unknown send is found.
        self.open("/console/sends", state="unknown")
        rows = self.send_log_rows()
        self.check("filtering by state=unknown shows the unknown send",
                   any(send_id == self.args.unknown_send for send_id, _ in rows),
                   "rows %r, wanted send %s" % ([send_id for send_id, _ in rows], self.args.unknown_send))
        self.screenshot("sends-unknown")
        # A filter matching nothing answers an empty table, not an error.
        self.open("/console/sends", lead="no-such-lead-prefix-")
        self.check("a filter matching nothing shows no rows", self.send_log_rows() == [], "rows shown")
        self.open("/console/sends.csv", lead=self.args.lead_prefix)

    def send_and_lead(self):
        self.open("/console/sends", lead=self.args.lead_prefix)
        rows = self.find_all("table#send-log tbody tr td:first-child a")
        if not self.check("the send log links each row to its send", len(rows) > 0, "no link"):
            return
        self.submit_and_wait(lambda: rows[0].click())
        self.drain_log("/console/sends/{id}")
        self.check("a row's link opens the send detail", self.path().startswith("/console/sends/"), self.path())
        self.page_frame("send detail")
        self.screenshot("send")
        lead_links = [link for link in self.find_all("main#content a")
                      if urllib.parse.urlsplit(link.get_attribute("href")).path.startswith("/console/leads/")]
        if not self.check("the send detail links to its lead", len(lead_links) > 0, "no /console/leads/ link"):
            return
        self.submit_and_wait(lambda: lead_links[0].click())
        self.drain_log("/console/leads/{email}")
        self.check("the lead page opens", self.path().startswith("/console/leads/"), self.path())
        self.page_frame("lead")
        self.check("the lead page shows the timeline", len(self.find_all("ol#timeline > li")) > 0, "empty timeline")
        self.check("the lead page shows why", self.exists("section#why") and self.find("section#why").text.strip(),
                   "no #why")
        self.check("the lead page links to its sends",
                   any("/console/sends/" in (link.get_attribute("href") or "") for link in self.find_all("main a")),
                   "no link to a send")
        self.screenshot("lead")

    def overview_and_sequences(self):
        self.open("/console")
        self.page_frame("overview")
        self.screenshot("overview")
        self.open("/console/sequences")
        self.page_frame("sequences")
        self.screenshot("sequences")
        links = [link for link in self.find_all("main#content a")
                 if urllib.parse.urlsplit(link.get_attribute("href")).path.startswith("/console/sequences/")]
        if not self.check("the sequences page links to each sequence", len(links) > 0, "no link"):
            return
        target = next((link for link in links if link.get_attribute("href").endswith("/" + self.args.sequence)),
                      links[0])
        self.submit_and_wait(lambda: target.click())
        self.drain_log("/console/sequences/{name}")
        self.page_frame("funnel")
        self.check("the sequence page shows the funnel", len(self.find_all("table#funnel tr")) > 1, "no rows")
        self.screenshot("funnel")

    def preview(self):
        self.open("/console/preview")
        self.page_frame("preview")
        sequence = Select(self.find('form#preview select[name="sequence"]'))
        values = [option.get_attribute("value") for option in sequence.options]
        if not self.check("the preview offers the sequence", self.args.sequence in values, "options %r" % values):
            return
        sequence.select_by_value(self.args.sequence)
        step = Select(self.find('form#preview select[name="step"]'))
        steps = [option.get_attribute("value") for option in step.options]
        if self.args.step in steps:
            step.select_by_value(self.args.step)
        lead = self.find('form#preview input[name="lead"]')
        lead.clear()
        lead.send_keys(self.args.lead)
        self.submit_and_wait(lambda: lead.send_keys(Keys.ENTER))
        self.drain_log("/console/preview?sequence=")
        query = self.query()
        if query.get("step") != [self.args.step]:
            # A page that lists steps only for the chosen sequence: choose the step now and submit again.
            step = Select(self.find('form#preview select[name="step"]'))
            step.select_by_value(self.args.step)
            self.submit_and_wait(lambda: self.find('form#preview input[name="lead"]').send_keys(Keys.ENTER))
            self.drain_log("/console/preview?sequence=&step=")
        self.check("the preview form submits sequence, step and lead",
                   self.query().get("sequence") == [self.args.sequence] and self.query().get("step") == [
                       self.args.step] and self.query().get("lead") == [self.args.lead], self.driver.current_url)
        subject = self.find_all("output#preview-subject")
        self.check("the preview shows the subject", subject and subject[0].text.strip(), "empty subject")
        text = self.find_all("pre#preview-text")
        self.check("the preview shows the text part", text and text[0].text.strip(), "empty text part")
        frames = self.find_all("iframe#preview-html")
        if not self.check("the preview shows the HTML part in an iframe", len(frames) == 1, "no iframe"):
            return
        sandbox = frames[0].get_attribute("sandbox")
        self.check("the HTML part's iframe is sandboxed without scripts",
                   sandbox is not None and "allow-scripts" not in sandbox, "sandbox=%r" % sandbox)
        self.screenshot("preview")
        self.driver.switch_to.frame(frames[0])
        try:
            body = self.find("body").text.strip()
        finally:
            self.driver.switch_to.default_content()
        self.check("the HTML part renders in the iframe", body != "", "empty iframe body")
        self.drain_log("/console/preview (iframe)")

    def resend_unknown(self):
        path = "/console/sends/" + self.args.unknown_send
        self.open(path)
        forms = self.find_all("form.action-resend")
        if not self.check("an unknown send shows the resend button", len(forms) == 1, "found %d" % len(forms)):
            return
        self.check("the resend form carries a csrf token",
                   len(forms[0].find_elements(By.CSS_SELECTOR, 'input[type="hidden"][name="csrf"]')) == 1, "no csrf")
        button = forms[0].find_element(By.CSS_SELECTOR, 'button[type="submit"], input[type="submit"], button')
        self.submit_and_wait(lambda: button.click())
        self.drain_log(path + "/resend")
        flash = self.find_all('p.flash[role="status"]')
        self.check("resend answers with a flash message", len(flash) == 1 and flash[0].text.strip(),
                   "url %s, flashes %d" % (self.driver.current_url, len(flash)))
        self.check("resend returns to the send's page", self.path() == path, self.path())
        self.screenshot("resent")

    def inert_markup(self):
        """The lead whose first name is markup: its text is shown, no element is made of it, no dialog opens."""
        marker = self.args.markup
        pages = [("/console/leads/" + urllib.parse.quote(self.args.markup_lead, safe=""), {}),
                 ("/console/sends", {"lead": self.args.markup_lead}),
                 ("/console/preview", {"sequence": self.args.sequence, "step": self.args.step,
                                       "lead": self.args.markup_lead})]
        for path, query in pages:
            self.open(path, **query)
            label = path + ("?" + urllib.parse.urlencode(query) if query else "")
            self.check("markup in a lead renders inert on " + label + ": no dialog", self.alert_text() is None,
                       "a dialog opened")
            injected = self.driver.execute_script(
                "return document.querySelectorAll('img[src=\"x\"], img[onerror]').length")
            self.check("markup in a lead renders inert on " + label + ": no element made of it", injected == 0,
                       "%d injected elements" % injected)
            for frame in self.find_all("iframe#preview-html"):
                self.driver.switch_to.frame(frame)
                try:
                    inside = self.driver.execute_script(
                        "return document.querySelectorAll('img[src=\"x\"], img[onerror]').length")
                finally:
                    self.driver.switch_to.default_content()
                self.check("markup in a lead renders inert on " + label + ": none in the HTML part", inside == 0,
                           "%d injected elements in the iframe" % inside)
            if path.startswith("/console/leads/"):
                self.check("markup in a lead renders inert on " + label + ": shown as text",
                           marker in self.find("body").text, "the literal text is not on the page")
                self.screenshot("lead-markup")

    def viewer_sees_no_actions(self):
        if not self.args.viewer:
            return
        self.check("a viewer logs in", self.login(self.args.viewer, self.args.viewer_password), self.driver.current_url)
        self.open("/console/sends/" + self.args.unknown_send)
        actions = [form for form in self.find_all("form") if "action-" in (form.get_attribute("class") or "")]
        self.check("a viewer sees no action button", not actions, "%d action forms" % len(actions))

    def logout(self):
        self.open("/console")
        forms = [form for form in self.find_all("form")
                 if (form.get_attribute("action") or "").endswith("/console/logout")]
        if not forms:
            return
        button = forms[0].find_element(By.CSS_SELECTOR, 'button, input[type="submit"]')
        self.submit_and_wait(lambda: button.click())
        self.drain_log("/console/logout")
        self.check("logout goes to the login page", self.path() == "/console/login", self.driver.current_url)
        self.open("/console")
        self.check("after logout /console needs a login again", self.path() == "/console/login",
                   self.driver.current_url)

    def no_browser_errors(self, label):
        self.check(label + ": the browser logged no error (SEVERE, CSP violations included)", not self.errors,
                   "\n    " + "\n    ".join("%s: %s" % error for error in self.errors[:20]))

    def close(self):
        try:
            self.driver.quit()
        except WebDriverException:
            pass


def walk(args):
    """The whole walk with JavaScript on; returns (passes, failures)."""
    console = Console(args)
    try:
        steps = [console.wrong_password,
                 lambda: console.check("an admin logs in and lands on the overview",
                                       console.login(args.username, args.password), console.driver.current_url),
                 console.overview_and_sequences, console.keyboard, console.send_log, console.send_and_lead,
                 console.preview, console.inert_markup, console.resend_unknown, console.logout,
                 console.viewer_sees_no_actions]
        for step in steps:
            try:
                step()
            except (NoSuchElementException, WebDriverException, Failed) as error:
                console.check(getattr(step, "__name__", "step"), False,
                              "%s: %s" % (type(error).__name__, str(error).splitlines()[0] if str(error) else ""))
        console.no_browser_errors("with JavaScript")
        return console.passes, console.failures
    finally:
        console.close()


def walk_without_javascript(args):
    """Log in, filter the send log and open a send with JavaScript turned off."""
    console = Console(args, javascript=False)
    try:
        try:
            console.check("without JavaScript: log in", console.login(args.username, args.password),
                          console.driver.current_url)
            console.open("/console/sends", lead=args.lead_prefix)
            rows = console.send_log_rows()
            console.check("without JavaScript: the filtered send log",
                          rows and all(args.lead_prefix in text for _, text in rows), "%d rows" % len(rows))
            console.open("/console/preview", sequence=args.sequence, step=args.step, lead=args.lead)
            console.check("without JavaScript: the preview", console.exists("iframe#preview-html"), "no iframe")
        except (NoSuchElementException, WebDriverException) as error:
            console.check("without JavaScript", False, "%s: %s" % (type(error).__name__, error))
        console.no_browser_errors("without JavaScript")
        return console.passes, console.failures
    finally:
        console.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the daemon's HTTP base URL, e.g. http://127.0.0.1:8470")
    parser.add_argument("--username", required=True, help="an admin console user")
    parser.add_argument("--password-file", required=True, help="a file whose first line is that user's password")
    parser.add_argument("--viewer", default="", help="a viewer (read-only) console user")
    parser.add_argument("--viewer-password-file", default="", help="a file whose first line is the viewer's password")
    parser.add_argument("--lead", required=True, help="a lead with sends (its full address)")
    parser.add_argument("--lead-prefix", required=True, help="a prefix that matches that lead and not all leads")
    parser.add_argument("--sequence", required=True, help="a sequence with sends, e.g. marketing-nurture")
    parser.add_argument("--step", required=True, help="a step of that sequence, e.g. welcome")
    parser.add_argument("--unknown-send", required=True, help="the id of a send in state unknown")
    parser.add_argument("--markup-lead", required=True, help="the address of the lead whose name is markup")
    parser.add_argument("--markup", required=True, help="that markup, e.g. <img src=x onerror=alert(1)>")
    parser.add_argument("--screenshots", default="", help="a directory for console-<page>.png")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    args = parser.parse_args()
    with open(args.password_file, encoding="utf-8") as handle:
        args.password = handle.readline().rstrip("\n")
    args.viewer_password = ""
    if args.viewer_password_file:
        with open(args.viewer_password_file, encoding="utf-8") as handle:
            args.viewer_password = handle.readline().rstrip("\n")
    try:
        passes, failures = walk(args)
        more_passes, more_failures = walk_without_javascript(args)
    except WebDriverException as error:
        print("BROWSER could not start or died: %s" % error, flush=True)
        traceback.print_exc()
        return 2
    passes += more_passes
    failures += more_failures
    print("console browser walk: %d checks held, %d did not" % (passes, len(failures)), flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
