// A print being made off the request: ask the page again every few seconds and reload it when the
// print is done or has failed. Without JavaScript the page refreshes itself (a meta refresh).
const box = document.getElementById("print-job");
if (box) {
  const every = Number(box.dataset.refresh || "2") * 1000;
  const poll = async () => {
    try {
      const answer = await fetch(window.location.href, { credentials: "same-origin" });
      const page = new DOMParser().parseFromString(await answer.text(), "text/html");
      const now = page.getElementById("print-job");
      if (now && now.dataset.state !== box.dataset.state) {
        window.location.reload();
        return;
      }
    } catch (error) {
      // The server may be busy or restarting: ask again later.
    }
    window.setTimeout(poll, every);
  };
  window.setTimeout(poll, every);
}
