"""Every view and page in a real headless Chromium, with all network access but 127.0.0.1 blocked.

They need Debian's chromium and chromium-driver (`make browser` installs them; CI does);
Selenium drives them through the system chromedriver, so no browser is ever downloaded.
Without them the tests are skipped, and in CI that is a failure.
"""

import time
from urllib.parse import urljoin

import pytest

from tests.conftest import PATIENCE, running_endpoint
from vetkg.query.store import open_store
from vetkg.views.network import NEIGHBOURHOOD, view_names
from vetkg.views.visualize import render_network

from .test_viz import HOSTILE, hostile, page_data, project

VIEWS = view_names()


@pytest.fixture(scope="module")
def browser(tmp_path_factory, chromium):
    chromium, chromedriver = chromium
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--disable-quic", "--window-size=1400,900",
                     # Every request but those to the test's own server on 127.0.0.1 goes
                     # to a closed port, and every name fails to resolve.
                     "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=127.0.0.1",
                     "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                     f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(chromedriver), options=options)
    yield driver
    driver.quit()


def open_page(browser, path, graph_view_html):
    path.write_text(graph_view_html, encoding="utf-8")
    browser.get(path.as_uri())
    deadline = time.monotonic() + PATIENCE
    while browser.execute_script("return window.vetkgFirstFrame === undefined"):
        assert time.monotonic() < deadline, "the network never drew"
        time.sleep(0.05)
    return browser.get_log("browser")


def visible_nodes(browser):
    return browser.execute_script(
        "return window.vetkg.nodes.get({filter: function (n) { return !n.hidden; }})"
        ".map(function (n) { return n.id; })")


@pytest.mark.parametrize("view", VIEWS)
def test_view_in_chromium(browser, view, tmp_path, store):
    html = render_network(project(store, view))
    data = page_data(html)
    log = open_page(browser, tmp_path / f"{view}.html", html)
    assert [entry for entry in log if entry["level"] in ("SEVERE", "WARNING")] == []

    # The node count equals the projection.
    assert browser.execute_script("return window.vetkg.nodes.length") == len(data["nodes"])
    assert len(visible_nodes(browser)) == len(data["nodes"])

    # A search finds a node and focuses it.
    target = max(data["nodes"], key=lambda node: node["size"])
    box = browser.find_element("id", "search")
    box.send_keys(target["labelEn"])
    browser.execute_script("arguments[0].dispatchEvent(new Event('change'))", box)
    assert browser.execute_script("return window.vetkg.network.getSelectedNodes()") == [target["id"]]
    assert "select=" in browser.execute_script("return location.hash")

    # A legend click hides that family of classes, and the state goes into the URL fragment.
    item = browser.find_element("css selector", "#legend-items li")
    hidden_family = item.get_attribute("data-family")
    item.click()
    shown = set(visible_nodes(browser))
    assert shown
    assert not any(node["family"] == hidden_family and node["id"] in shown for node in data["nodes"])
    assert "hide=" in browser.execute_script("return location.hash")
    item.click()

    # The year slider hides entities dated after the chosen year.
    assert data["years"], f"{view} has dated entities"
    if data["years"]:
        first = data["years"][0]
        browser.execute_script(
            "var s = document.getElementById('year'); s.value = arguments[0];"
            "s.dispatchEvent(new Event('input'));", first)
        shown = set(visible_nodes(browser))
        later = {node["id"] for node in data["nodes"] if node["year"] and node["year"] > first}
        assert later and not later & shown
        assert {node["id"] for node in data["nodes"] if node["year"] == first} <= shown

    # The language toggle switches the labels.
    browser.find_element("id", "show-all").click()
    browser.execute_script("window.vetkg.network.fit({animation: false})")
    browser.find_element("id", "lang").click()
    labels = browser.execute_script(
        "return window.vetkg.nodes.get().map(function (n) { return n.label; }).filter(Boolean)")
    # A long name is cut, with an ellipsis; the tooltip and the panel give it whole.
    names = {node["labelEn"] for node in data["nodes"]}
    cut = [label[:-1] for label in labels if label not in names]
    assert labels and all(label.endswith("…") for label in labels if label not in names)
    assert all(any(name.startswith(start) for name in names) for start in cut)
    assert browser.execute_script("return document.documentElement.lang") == "en"


def test_shared_state_is_restored_from_the_fragment(browser, tmp_path, store):
    html = render_network(project(store, "governance"))
    data = page_data(html)
    moe = "https://w3id.org/vetkg/id/moe"
    path = tmp_path / "shared.html"
    path.write_text(html, encoding="utf-8")
    browser.get(path.as_uri() + "#lang=en&focus=" + moe)
    time.sleep(0.5)
    shown = set(visible_nodes(browser))
    neighbours = {e["to"] for e in data["edges"] if e["from"] == moe} | {
        e["from"] for e in data["edges"] if e["to"] == moe} | {moe}
    assert shown == neighbours
    assert browser.execute_script("return window.vetkg.state.lang") == "en"


@pytest.mark.parametrize("view", VIEWS)
def test_a_script_label_shows_as_text_and_never_runs(browser, graph, view, tmp_path, store):
    busiest = max(project(store, view).degree, key=lambda pair: (pair[1], pair[0]))[0]
    html = render_network(project(open_store(hostile(graph, busiest)), view))
    log = open_page(browser, tmp_path / "hostile.html", html)
    assert [entry for entry in log if entry["level"] == "SEVERE"] == []
    assert browser.execute_script("return window.pwned === undefined")
    tooltip = browser.execute_script("return window.vetkg.nodes.get(arguments[0]).title.textContent", busiest)
    assert HOSTILE in tooltip
    assert browser.execute_script("return document.querySelectorAll('img').length") == 0
    options = browser.execute_script(
        "return Array.from(document.querySelectorAll('#names option')).map(function (o) { return o.value; })")
    assert HOSTILE in options


def test_neighbourhood_page_is_centred_on_its_focus(browser, tmp_path, store):
    html = render_network(project(store, NEIGHBOURHOOD))
    open_page(browser, tmp_path / "neighbourhood.html", html)
    assert browser.execute_script("return window.vetkg.state.selected") == "https://w3id.org/vetkg/id/CN-GX"
    assert browser.execute_script("return window.vetkg.network.getSelectedNodes()") == [
        "https://w3id.org/vetkg/id/CN-GX"]


def test_a_group_expands_on_a_click_and_search_finds_the_institutions_inside(browser, tmp_path, store):
    from selenium.webdriver.common.action_chains import ActionChains

    html = render_network(project(store, "governance"))
    data = page_data(html)
    groups = sorted((node for node in data["nodes"] if node.get("members")), key=lambda node: node["id"])
    assert groups
    open_page(browser, tmp_path / "groups.html", html)
    before = len(visible_nodes(browser))
    group = groups[0]
    browser.execute_script("window.vetkg.network.fit({nodes: [arguments[0]], animation: false})", group["id"])
    where = browser.execute_script(
        "var n = window.vetkg.network; return n.canvasToDOM(n.getPositions([arguments[0]])[arguments[0]])",
        group["id"])
    canvas = browser.find_element("css selector", "#network canvas")
    size = canvas.size
    ActionChains(browser).move_to_element_with_offset(
        canvas, where["x"] - size["width"] / 2, where["y"] - size["height"] / 2).click().perform()
    shown = set(visible_nodes(browser))
    assert len(shown) == before + len(group["members"])
    assert {member["id"] for member in group["members"]} <= shown
    browser.execute_script("window.vetkg.expand(arguments[0])", group["id"])
    assert len(visible_nodes(browser)) == before

    member = groups[-1]["members"][0]
    box = browser.find_element("id", "search")
    box.clear()
    box.send_keys(member["labelZh"])
    browser.execute_script("arguments[0].dispatchEvent(new Event('change'))", box)
    assert browser.execute_script("return window.vetkg.network.getSelectedNodes()") == [member["id"]]
    assert member["id"] in visible_nodes(browser)


def test_the_map_colours_every_province_with_a_figure_and_hatches_the_rest(browser, tmp_path, store):
    from vetkg.views.province_map import boundary_ids, map_figures
    from vetkg.views.site import map_html

    figures = map_figures(store)
    assert figures
    path = tmp_path / "map.html"
    path.write_text(map_html(store, offline=True), encoding="utf-8")
    for figure in figures:
        browser.get(f"{path.as_uri()}#figure={figure['name']}")
        assert [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"] == []
        assert browser.execute_script("return document.getElementById('figure').value") == figure["name"]
        drawn = {code for code in figure["values"] if code in boundary_ids()}
        coloured = browser.execute_script(
            "return Array.from(document.querySelectorAll('#map path'))"
            ".filter(function (p) { return !p.classList.contains('nodata'); })"
            ".map(function (p) { return p.getAttribute('data-code'); })")
        assert set(coloured) == drawn, figure["name"]
        assert browser.execute_script("return document.querySelectorAll('#map path').length") == 34
        assert browser.execute_script("return document.querySelectorAll('#map .inset polygon').length") == 12
        rows = browser.execute_script("return document.querySelectorAll('#ranking tbody tr').length")
        assert rows == len(figure["values"])
        # The figure downloads as CSV, a row per province with a figure, from a file too.
        csv_text = browser.execute_async_script(
            "var done = arguments[0]; fetch(document.getElementById('figure-csv').href)"
            ".then(function (r) { return r.text(); }).then(done);")
        assert len(csv_text.splitlines()) == len(figure["values"]) + 1, figure["name"]
        assert browser.find_element("id", "figure-csv").get_attribute("download") == f"{figure['name']}.csv"


@pytest.fixture(scope="module")
def endpoint(graph):
    from vetkg.query.pool import Limits

    with running_endpoint(graph, Limits(deadline=5.0, workers=2)) as address:
        yield address


def wait_for(browser, script):
    deadline = time.monotonic() + PATIENCE
    while not browser.execute_script(script):
        assert time.monotonic() < deadline, script
        time.sleep(0.1)


def test_a_permalink_runs_its_query_with_entities_labelled_and_linked_and_a_chart(browser, endpoint, store):
    import urllib.parse

    from vetkg.query.catalogue import load_catalogue
    from vetkg.query.store import run_query

    query = next(q for q in load_catalogue() if q.name == "brands-by-province")
    rows = run_query(store, query.text).plain_rows()
    assert rows
    browser.get(f"{endpoint}/sparql?" + urllib.parse.urlencode({"query": query.text}))
    wait_for(browser, "return document.querySelectorAll('.yasr tbody tr').length > 0")
    assert browser.execute_script("return document.querySelectorAll('.yasr tbody tr').length") == len(rows)
    wait_for(browser, "return Array.from(document.querySelectorAll('a[data-iri]')).some("
                      "function (a) { return a.textContent.indexOf('学院') >= 0; })")
    links = browser.execute_script(
        "return Array.from(document.querySelectorAll('a[data-iri]')).map(function (a) {"
        " return [a.getAttribute('data-iri'), a.href, a.textContent]; })")
    assert links
    for iri, href, text in links:
        assert href == f"{endpoint}/id/{iri.rsplit('/', 1)[1]}" and not text.startswith("vkg:"), (iri, text)
    # The examples: a tag narrows the list, and a click puts an example in the editor.
    examples = len(load_catalogue())
    assert browser.execute_script("return document.querySelectorAll('#example-list li').length") == examples
    browser.find_element("css selector", "#tags button").click()
    narrowed = browser.execute_script("return document.querySelectorAll('#example-list li').length")
    assert 0 < narrowed < examples
    # The chart has one bar per row.
    browser.execute_script("window.vetkgQuery.getTab().getYasr().selectPlugin('chart')")
    wait_for(browser, "return document.querySelector('.vetkg-chart') !== null")
    assert browser.execute_script("return document.querySelectorAll('.vetkg-chart rect').length") == len(rows)
    assert [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"] == []


def test_a_refused_query_shows_the_reason(browser, endpoint):
    import urllib.parse

    browser.get(f"{endpoint}/sparql?" + urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p }"}))
    wait_for(browser, "return document.querySelector('.yasr .errorResult, .yasr .errorHeader') !== null")
    assert "does not parse" in browser.execute_script("return document.querySelector('.yasr').textContent")
    # The permalink's query was sent once: a second run would abort the first.
    assert browser.execute_script(
        "return performance.getEntriesByType('resource').filter(function (e) {"
        "  return e.initiatorType === 'fetch' && e.name.indexOf('/sparql') >= 0; }).length") == 1


def shown_label_boxes(browser):
    """The box of every label the page draws, measured here with the canvas's own font."""
    return browser.execute_script("""
        var network = window.vetkg.network, scale = network.getScale();
        var context = document.createElement('canvas').getContext('2d');
        var drawn = window.vetkg.nodes.get({filter: function (n) { return n.label && !n.hidden; }});
        var positions = network.getPositions(drawn.map(function (n) { return n.id; }));
        return drawn.map(function (n) {
          var size = n.font.size * scale;
          context.font = size + 'px ' + n.font.face;
          var p = network.canvasToDOM(positions[n.id]), half = context.measureText(n.label).width / 2;
          var top = p.y + (n.size + 4) * scale;
          return {id: n.id, size: size, box: [p.x - half, top, p.x + half, top + size * 1.2]};
        });""")


@pytest.mark.parametrize("view", [view for view in VIEWS if view != NEIGHBOURHOOD])
def test_labels_never_overlap_and_every_node_is_on_screen(browser, view, tmp_path, store):
    html = render_network(project(store, view))
    data = page_data(html)
    open_page(browser, tmp_path / f"{view}.html", html)
    time.sleep(0.3)
    width, height = browser.execute_script(
        "var e = document.getElementById('network'); return [e.clientWidth, e.clientHeight]")
    boxes = shown_label_boxes(browser)
    assert len(boxes) >= min(10, len(data["nodes"])), f"{view}: only {len(boxes)} labels"
    assert all(12 <= label["size"] <= 14 for label in boxes)
    for first, label in enumerate(boxes):
        for other in boxes[first + 1:]:
            a, b = label["box"], other["box"]
            overlap = a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
            assert not overlap, (label["id"], other["id"])
    # No label is cut by the canvas's edge, and no node covers a label.
    assert all(0 <= box[0] and box[2] <= width and 0 <= box[1] and box[3] <= height
               for box in (label["box"] for label in boxes)), view
    discs = browser.execute_script(
        "var n = window.vetkg.network, scale = n.getScale(), p = n.getPositions();"
        "return window.vetkg.nodes.get({filter: function (d) { return !d.hidden; }}).map(function (d) {"
        "  var c = n.canvasToDOM(p[d.id]), r = (d.size || 10) * scale;"
        "  return [c.x - r, c.y - r, c.x + r, c.y + r]; })")
    assert discs
    for label in boxes:
        a = label["box"]
        covered = [b for b in discs
                   if a[0] < b[2] - 1 and b[0] + 1 < a[2] and a[1] < b[3] - 1 and b[1] + 1 < a[3]]
        assert not covered, (view, label["id"])
    where = browser.execute_script(
        "var n = window.vetkg.network, p = n.getPositions();"
        "return Object.keys(p).map(function (id) { return n.canvasToDOM(p[id]); })")
    assert len(where) == len(data["nodes"])
    assert all(-1 <= point["x"] <= width + 1 and -1 <= point["y"] <= height + 1 for point in where)
    # Zoomed in, a larger share of the nodes on screen is named.
    browser.execute_script("window.vetkg.network.moveTo({scale: window.vetkg.network.getScale() * 3});"
                           "window.vetkg.apply()")
    on_screen = browser.execute_script(
        "var n = window.vetkg.network, p = n.getPositions(), e = document.getElementById('network');"
        "return Object.keys(p).filter(function (id) { var d = n.canvasToDOM(p[id]);"
        " return d.x >= 0 && d.y >= 0 && d.x <= e.clientWidth && d.y <= e.clientHeight; }).length")
    assert on_screen and len(shown_label_boxes(browser)) / on_screen >= len(boxes) / len(where)


def test_the_year_filter_keeps_or_hides_the_undated_on_request(browser, tmp_path, store):
    html = render_network(project(store, "agenda"))
    data = page_data(html)
    undated = {node["id"] for node in data["nodes"] if node["year"] is None and not node.get("members")}
    assert undated
    open_page(browser, tmp_path / "agenda.html", html)
    assert undated <= set(visible_nodes(browser))
    assert browser.find_element("id", "undated-count").text == str(len(undated))
    browser.find_element("id", "undated").click()
    assert not undated & set(visible_nodes(browser))
    assert "undated=hide" in browser.execute_script("return location.hash")


CLUSTERS = ("var n = window.vetkg.network;"
            "return Object.keys(n.body.nodes).filter(function (id) { return n.isCluster(id); })")


def test_focus_takes_an_id_or_a_label_and_classes_cluster_and_open(browser, tmp_path, store):
    html = render_network(project(store, "governance"))
    data = page_data(html)
    path = tmp_path / "governance.html"
    path.write_text(html, encoding="utf-8")
    moe = "https://w3id.org/vetkg/id/moe"
    neighbours = {e["to"] for e in data["edges"] if e["from"] == moe} | {
        e["from"] for e in data["edges"] if e["to"] == moe} | {moe}
    for focus in ("moe", "教育部", "ministry of education of the people's republic of china"):
        browser.get("about:blank")
        browser.get(f"{path.as_uri()}#focus={focus}")
        time.sleep(0.3)
        assert set(visible_nodes(browser)) == neighbours, focus
    browser.get("about:blank")
    browser.get(path.as_uri())
    time.sleep(0.3)
    browser.find_element("id", "cluster").click()
    clusters = browser.execute_script(CLUSTERS)
    assert clusters and "cluster=class" in browser.execute_script("return location.hash")
    biggest = max(data["legend"], key=lambda entry: sum(n["family"] == entry["family"]
                                                        for n in data["nodes"]))
    assert f"cluster {biggest['family']}" in clusters
    browser.find_element("id", "cluster").click()
    assert browser.execute_script(CLUSTERS) == []


def test_the_timeline_has_a_year_axis_and_a_column_for_the_undated(browser, tmp_path, store):
    html = render_network(project(store, "timeline"))
    data = page_data(html)
    open_page(browser, tmp_path / "timeline.html", html)
    time.sleep(0.3)
    axis = browser.execute_script("return window.vetkgAxis")
    first, last = data["years"]
    assert axis[0] == "无年份 undated" and axis[1] == str(first)
    years = [int(year) for year in axis[1:]]
    # As many years are named as fit, in order, from the first.
    assert len(years) > 3 and years == sorted(set(years)) and first <= years[-1] <= last
    # A year with nothing dated is narrower than one with dated entities.
    lines = dict(data["yearLines"])
    dated = {node["year"] for node in data["nodes"] if node["year"]}
    widths = {year: lines[year + 1] - lines[year] for year in range(first, last)}
    assert {widths[year] for year in widths if year in dated} == {160.0}
    assert {widths[year] for year in widths if year not in dated} == {40.0}


def test_a_click_shows_the_details_and_a_second_opens_the_entity_page(browser, endpoint):
    from selenium.webdriver.common.action_chains import ActionChains

    browser.get(f"{endpoint}/network/governance#select=moe")
    wait_for(browser, "return window.vetkg !== undefined && window.vetkg.state.selected !== null")
    assert browser.find_element("id", "details-name").text == "教育部"
    assert browser.find_element("id", "details-page").get_attribute("href") == f"{endpoint}/id/moe"
    around = browser.find_element("id", "details-around").get_attribute("href")
    assert around == f"{endpoint}/network/neighbourhood?focus=moe"
    moe = "https://w3id.org/vetkg/id/moe"
    where = browser.execute_script(
        "var n = window.vetkg.network; return n.canvasToDOM(n.getPositions([arguments[0]])[arguments[0]])",
        moe)
    canvas = browser.find_element("css selector", "#network canvas")
    offset = where["x"] - canvas.size["width"] / 2, where["y"] - canvas.size["height"] / 2
    ActionChains(browser).move_to_element_with_offset(canvas, *offset).click().perform()
    time.sleep(0.3)
    ActionChains(browser).move_to_element_with_offset(canvas, *offset).click().perform()
    wait_for(browser, f"return location.href === '{endpoint}/id/moe'")
    assert "教育部" in browser.find_element("tag name", "h1").text


def test_plain_values_a_values_form_the_row_cap_notice_and_the_map_link(browser, endpoint):
    import urllib.parse

    from vetkg.query.catalogue import group, load_catalogue

    # A count shows as a number, not as a typed literal, until the table's switch asks for terms.
    counted = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/vetkg/ontology#Province> }"
    browser.get(f"{endpoint}/sparql?" + urllib.parse.urlencode({"query": counted}))
    wait_for(browser, "return document.querySelectorAll('.yasr tbody tr').length > 0")
    cell = browser.execute_script("return document.querySelector('.yasr tbody tr td:last-child').textContent")
    assert cell.strip().isdigit(), cell
    # A catalogue question's VALUES block becomes a field; another code answers for another school.
    query = next(q for q in load_catalogue() if q.name == "institution-by-code")
    browser.get(f"{endpoint}/sparql?" + urllib.parse.urlencode({"query": query.text}))
    wait_for(browser, "return document.querySelectorAll('#values-form input').length > 0")
    field = browser.find_element("css selector", "#values-form input")
    field.clear()
    field.send_keys('"4111010001"')
    browser.find_element("css selector", "#values-form button").click()
    wait_for(browser, "return document.querySelector('.yasr') &&"
                      " document.querySelector('.yasr').textContent.indexOf('北京大学') >= 0")
    # An answer cut at the row cap says so; figures by province open on the map.
    browser.get(f"{endpoint}/sparql?" + urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"}))
    wait_for(browser, "return document.getElementById('answer-notice').textContent.indexOf('cut at') >= 0")
    provinces = next(q for q in group("map") if q.name.endswith("institutions"))
    browser.get(f"{endpoint}/sparql?" + urllib.parse.urlencode({"query": provinces.text}))
    wait_for(browser, "return document.querySelector('#answer-notice a') !== null")
    link = browser.execute_script("return document.querySelector('#answer-notice a').href")
    assert "/map#query=" in link
    browser.get(link)
    wait_for(browser, "return document.querySelectorAll('#ranking tbody tr').length > 20")
    assert browser.execute_script("return document.getElementById('figure').value") == "query"


# Every kind of page the server sends, each under its own content security policy.
SERVED_PAGES = ["/", "/sparql", "/map", "/network/governance", "/network/neighbourhood?focus=CN-GX&hops=1",
                "/id/moe", "/search?q=%E6%95%99%E8%82%B2%E9%83%A8", "/institutions", "/browse", "/catalogue",
                "/ontology", "/dataset"]


def test_every_served_page_runs_under_its_policy_without_a_violation(browser, endpoint):
    browser.get_log("browser")
    for path in SERVED_PAGES:
        browser.get(endpoint + path)
        wait_for(browser, "return document.readyState === 'complete'")
        time.sleep(0.5)
        problems = [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
        assert problems == [], path
    # The pages that draw did draw: their scripts ran.
    browser.get(endpoint + "/network/governance")
    wait_for(browser, "return window.vetkgFirstFrame !== undefined")


def test_a_network_page_links_the_site_its_files_its_query_and_its_centre(browser, endpoint):
    browser.get(f"{endpoint}/network/governance")
    wait_for(browser, "return window.vetkgFirstFrame !== undefined")
    links = browser.execute_script(
        "return Array.from(document.querySelectorAll('#site a')).filter(function (a) {"
        " return a.offsetParent; }).map(function (a) { return a.getAttribute('href'); })")
    assert [f"{endpoint}{path}" for path in ("/", "/search", "/sparql", "/map", "/ontology", "/dataset")] == [
        urljoin(endpoint + "/network/governance", link) for link in links[:6]]
    assert [urljoin(endpoint + "/", link).rsplit("/", 1)[1] for link in links[6:10]] == [
        "governance.gexf", "governance.graphml", "governance-kumu-elements.csv",
        "governance-kumu-connections.csv"]
    assert links[10].startswith("/sparql?query=")
    browser.get(f"{endpoint}/network/neighbourhood?focus=CN-GX&hops=1")
    wait_for(browser, "return window.vetkgFirstFrame !== undefined")
    title = browser.find_element("tag name", "h1").text
    assert title.startswith("广西壮族自治区的1跳邻域 · Neighbourhood of Guangxi")
    assert browser.find_element("id", "focus-page").get_attribute("href") == f"{endpoint}/id/CN-GX"
    assert not browser.find_element("id", "view-links").is_displayed()
