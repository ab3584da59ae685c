// Progressive enhancement: like without leaving the page. The form works without this.
// The count's wording comes from the page (data-zero/one/other, "{n}" for the number),
// so it reads in the page's language; Persian pages get Persian digits.
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
    if (count) {
      var n = data.likes;
      var words = n === 0 ? count.getAttribute("data-zero") : n === 1 ? count.getAttribute("data-one") : count.getAttribute("data-other");
      var digits = String(n);
      if ((document.documentElement.lang || "").indexOf("fa") === 0) {
        digits = digits.replace(/[0-9]/g, function (d) { return "۰۱۲۳۴۵۶۷۸۹".charAt(+d); });
      }
      count.textContent = words ? words.replace("{n}", digits) : data.likes_text;
    }
    if (button) button.textContent = data.counted ? form.getAttribute("data-liked") : form.getAttribute("data-already");
  }).catch(function () { if (button) button.disabled = false; });
});
