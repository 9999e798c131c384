"""A film with Vietnamese and English captions plays on its item page in headless Chromium, on a
phone (390 × 844) and a desktop (1366 × 900): both caption tracks load, the Vietnamese one shows
its cues while the film plays, and the transcript is shown below the player. With SCREENSHOT_DIR
set, screenshots (film-*.png) are saved there for a person to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from selenium.webdriver.common.by import By

from archive.captions import caption_track_store, read_caption_upload
from archive.media import media_file_store
from archive.models import CaptionTrack, Item
from tests.archive.test_archive_films import SRT, VTT_EN, film

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = [(390, 844, "phone"), (1366, 900, "desktop")]

PLAYING = """
var video = document.querySelector('.player video');
return video && video.currentTime > 0.45 && !video.paused;
"""

TRACKS = """
var video = document.querySelector('.player video');
return Array.from(video.textTracks).map(function (t) {
  return {language: t.language, label: t.label, mode: t.mode, cues: t.cues ? t.cues.length : -1,
          active: t.activeCues ? Array.from(t.activeCues).map(function (c) { return c.text; }) : []};
});
"""


@pytest.fixture
def film_item(transactional_db, tmp_path):
    item = Item.objects.create(
        title="Phim Hội nghị cán bộ các cơ quan Trung ương",
        status=Item.Status.PUBLISHED,
        access_level=Item.AccessLevel.PUBLIC,
        kind=Item.Kind.VIDEO,
        is_sample=True,
    )
    video = media_file_store(
        item=item,
        uploaded=SimpleUploadedFile("hoi-nghi.webm", film(tmp_path, seconds=3.0, size="640x360"), "video/webm"),
        caption="Hội nghị cán bộ",
    )
    for language, name, data in (("vi", "phu-de.srt", SRT), ("en", "captions.vtt", VTT_EN)):
        track = CaptionTrack(media_file=video, language=language)
        captions = read_caption_upload(SimpleUploadedFile(name, data), duration=video.duration)
        caption_track_store(track=track, caption_file=captions, original_name=name)
    return item


def screenshot(browser, name: str) -> None:
    if folder := os.environ.get("SCREENSHOT_DIR"):
        browser.save_screenshot(str(Path(folder) / name))


@pytest.mark.parametrize(("width", "height", "label"), SIZES, ids=[s[2] for s in SIZES])
def test_the_film_plays_with_its_captions_and_transcript(browser, film_item, width, height, label):
    browser.set_window_size(width, height)
    browser.get(browser.live_server_url + film_item.get_absolute_url())
    player = browser.find_element(By.CSS_SELECTOR, ".player video")
    browser.execute_script("arguments[0].scrollIntoView({block: 'start'});", player)
    tracks = {t["language"]: t for t in browser.execute_script(TRACKS)}
    assert set(tracks) == {"vi", "en"}
    assert (tracks["vi"]["label"], tracks["en"]["label"]) == ("Tiếng Việt", "English")
    assert tracks["vi"]["mode"] == "showing"  # the page's language is the default track
    assert tracks["en"]["mode"] == "disabled"  # offered in the player's caption menu
    # A browser fetches a track's cues once it is shown or hidden (here: both), through the checked view.
    show_english = "Array.from(arguments[0].textTracks).find(t => t.language === 'en').mode = 'hidden';"
    browser.execute_script(show_english, player)
    browser.wait_until(lambda d: all(t["cues"] > 0 for t in d.execute_script(TRACKS)), timeout=20)
    tracks = {t["language"]: t for t in browser.execute_script(TRACKS)}
    assert (tracks["vi"]["cues"], tracks["en"]["cues"]) == (2, 1)
    browser.execute_script("var v = arguments[0]; v.muted = true; v.play();", player)
    browser.wait_until(lambda d: d.execute_script(PLAYING), timeout=20)
    browser.execute_script("arguments[0].pause(); arguments[0].currentTime = 0.6;", player)
    browser.wait_until(lambda d: {t["language"]: t for t in d.execute_script(TRACKS)}["vi"]["active"], timeout=10)
    active = {t["language"]: t for t in browser.execute_script(TRACKS)}["vi"]["active"]
    assert active == ["Đồng chí Bí thư phát biểu <i>khai mạc</i>"]
    transcript = browser.find_element(By.CSS_SELECTOR, "details.transcript[open]")
    assert "Hội nghị cán bộ toàn Khối" in transcript.text
    assert player.location["y"] < transcript.location["y"]  # below the player
    assert player.size["width"] <= width  # the player fits the phone's screen
    screenshot(browser, f"film-{label}.png")
