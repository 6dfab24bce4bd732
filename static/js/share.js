// The "Chia sẻ" control: without JavaScript it is plain links; here the phone's share
// sheet (Web Share API) appears where there is one, and "copy link" copies.
document.querySelectorAll("[data-share]").forEach((box) => {
  const url = box.dataset.shareUrl;
  const title = box.dataset.shareTitle || document.title;
  const native = box.querySelector("[data-share-native]");
  if (native && navigator.share) {
    native.hidden = false;
    native.addEventListener("click", () => {
      navigator.share({ title, url }).catch(() => {});
    });
  }
  const copy = box.querySelector("[data-share-copy]");
  if (copy && navigator.clipboard) {
    copy.addEventListener("click", (event) => {
      event.preventDefault();
      navigator.clipboard.writeText(url).then(() => {
        copy.textContent = copy.dataset.shareDone;
      }, () => {});
    });
  }
});
