// Progressive enhancement: like without leaving the page. The form works without this.
document.addEventListener("submit", function (ev) {
  var form = ev.target;
  if (!form.classList || !form.classList.contains("like") || !window.fetch) return;
  ev.preventDefault();
  var button = form.querySelector("button");
  if (button) button.disabled = true;
  fetch(form.action, {
    method: "POST",
    headers: { "Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(new FormData(form)).toString(),
    credentials: "same-origin"
  }).then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
    if (!data) { if (button) button.disabled = false; return; }
    var count = form.querySelector("[data-likes]");
    if (count) count.textContent = data.likes_text;
    if (button) button.textContent = data.counted ? "Liked" : "Already liked";
  }).catch(function () { if (button) button.disabled = false; });
});
