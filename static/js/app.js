// sendtrack's own script. No inline script is allowed by the Content-Security-Policy, so
// behaviour that pages need lives here.
document.addEventListener("htmx:responseError", (event) => {
  const target = event.detail.target;
  if (target) {
    target.insertAdjacentHTML(
      "afterbegin",
      '<div class="alert alert-danger" role="alert">That request failed. Please try again.</div>'
    );
  }
});
