## Interface text of the reader's site (English). Every key here has a
## Persian twin in ../fa/site.ftl; a test fails when one is missing.

## Chrome: header, navigation, search box, footer
skip-to-content = Skip to content
nav-main = Main
nav-latest = Latest
nav-topics = Topics
nav-sources = Sources
nav-archive = Archive
nav-feeds = Feeds
edition-label = Edition
edition-en = English
edition-fa = فارسی
search-label = Search stories
search-button = Search
footer-credit = { $site } republishes news from its sources with credit; every story links to its original.
footer-api = API
footer-sitemap = Sitemap
feed-atom = Atom
feed-rss = RSS
feed-json = JSON Feed
feed-title = { $title } ({ $format })
follow = Follow:

## Story lists
pinned = Pinned
also-reported = Also reported by { $count ->
    [one] 1 other outlet
   *[other] { $count } other outlets
}
pager-label = Pages
pager-newer = ← Newer
pager-older = Older →
pager-position = Page { $page } of { $pages }
page-title-numbered = { $title } (page { $page })
no-stories = No stories yet.
source-health = Source health

## Front page
home-title = Latest news
home-heading = Latest news
home-heading-en = Latest news in English
home-heading-fa = Latest news in Persian
home-lead = Top story
home-sections = Stories by topic
home-section-more = More on { $topic }
home-latest = Latest

## Story page
story-read-full = Read the full story at { $source }
story-original = Original News
story-tags = Topics
story-also = Also reported by
story-our-copy = our copy
story-more = More on this story
story-also-in = Also in { $language }: { $count ->
    [one] one report
   *[other] { $count } reports
}
story-timeline = How this story unfolded
timeline-first = reported it first
timeline-report = reported it
timeline-revision = The text was revised: { $added } words added, { $removed } removed.
timeline-correction = Corrected:
timeline-headline = The headline was: “{ $before }”
timeline-more = { $count ->
    [one] and one more change
   *[other] and { $count } more changes
}
story-image-credit = Image: { $credit }
like-button = Like
like-done = Liked
like-already = Already liked
likes = { $count ->
    [0] Be the first to like this
    [one] 1 reader likes this
   *[other] { $count } readers like this
}

## Source, topic and day pages
source-title = { $source }
source-description = Stories from { $source } on { $site }
source-about = Language: { $language } · Kind: { $kind } ·
source-visit = visit { $source }
source-kind-feed = news feed
source-kind-sitemap = sitemap
tag-title = Topic: { $topic }
tag-heading = { $topic }
tag-feed-description = Stories on { $topic } on { $site }
day-heading = News of { $date }
day-intro = All stories of { $date } (UTC). See the archive for other days.

## Indexes
topics-heading = Topics
topics-intro = Every topic with the number of stories filed under it.
topic-count = { $count ->
    [one] 1 story
   *[other] { $count } stories
}
sources-heading = Sources
sources-intro = Where the stories come from. Each source's page lists its stories.
sources-col-name = Source
sources-col-language = Language
sources-col-kind = Kind
sources-col-site = Web site
sources-empty = No sources yet.

## Archive
archive-heading = Archive
archive-intro = Stories by month; each month lists its days and its stories.
archive-month-count = { $count ->
    [one] 1 story
   *[other] { $count } stories
}
archive-year-total = { $count ->
    [one] 1 story in { $year }
   *[other] { $count } stories in { $year }
}
archive-month-heading = Archive: { $month }
archive-month-total = { $count ->
    [one] 1 story in { $month }
   *[other] { $count } stories in { $month }
}
archive-months-label = Months
archive-calendar = Days of { $month }
archive-stories = Stories of { $month }
archive-all = All months
archive-empty = No stories yet.
weekday-1 = Mon
weekday-2 = Tue
weekday-3 = Wed
weekday-4 = Thu
weekday-5 = Fri
weekday-6 = Sat
weekday-7 = Sun

## Search
search-heading = Search
search-title = Search: { $query }
search-words = Words
search-language = Language
search-any = Any
search-order = Order
search-best = Best match
search-newest = Newest
search-from = From
search-to = to
search-found = { $exact ->
    [yes] { $count ->
        [one] 1 story found.
       *[other] { $count } stories found.
    }
   *[no] { $count }+ stories found.
}
search-follow = Follow this search (Atom)
search-feed-title = Search “{ $query }”
search-feed-description = Stories matching “{ $query }” on { $site }

## Error pages
error-go-home = Go to the latest stories or search above.
error-page-not-found = Page not found
error-page-not-found-text = There is no page at this address.
error-story-removed = Story removed
error-story-removed-text = This story was removed.
error-bad-request = Bad request
error-sign-in-required = Sign in required
error-not-allowed = Not allowed
error-slow-down = Slow down
error-slow-down-text = Too many requests; try again in a minute.
error-server-error = Server error
error-server-error-text = Something went wrong on our side. Please try again shortly.

## Dates (Persian pages use the Jalali calendar instead)
date-long = { $month } { $day }, { $year }
date-time = { $date }, { $time } UTC
month-year = { $month } { $year }
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

## Language names
language-en = English
language-fa = Persian

## Topic names (tag slugs from the topic definition)
tag-nuclear = Nuclear programme
tag-sanctions-economy = Sanctions and economy
tag-protests-rights = Protests and rights
tag-regional-conflict = Regional conflict
tag-diplomacy = Diplomacy
tag-energy = Energy
tag-politics = Politics
tag-culture-sport = Culture and sport
tag-society-environment = Society and environment
tag-economy = Economy

## Why an empty site has no stories (home and list pages)
empty-no-sources = No sources are configured yet: add one with the command khabar source add URL, or in the configuration's [[sources]].
empty-all-failing = No stories yet: all { $total } sources are failing.
empty-not-fetched-next = No stories yet: the { $total } sources have not been fetched; the next run is at { $at }.
empty-not-fetched-starting = No stories yet: the { $total } sources have not been fetched; the first run is starting.
empty-nothing-on-topic = No stories yet: the sources were fetched, but nothing about the site's topic has been published.
empty-some-failing = { $failing } of { $total } sources are failing.
empty-health-admin = The source health table is on the admin page.
empty-health-cli = The command khabar source list shows each source's last error.

## Admin pages
admin-title = Admin
admin-sign-in = Admin sign-in
admin-sign-in-button = Sign in
admin-sign-out = Sign out
admin-token = Admin token
admin-token-wrong = That token is not right.
admin-back = ← Admin
admin-health = Health
admin-metrics = Metrics
admin-done = Done: { $action }.
admin-stories = Stories
admin-count-published = published
admin-count-primaries = front-page primaries
admin-count-rejected = rejected
admin-count-hidden = hidden
admin-count-taken-down = taken down
admin-count-all = all
admin-count-sources = sources
admin-count-likes = likes
admin-sources = Sources
admin-show = Show:
admin-show-all = all
admin-most-failing = most failing first
admin-col-source = Source
admin-col-status = Status
admin-col-last-fetch = Last fetch
admin-col-stories = Stories
admin-col-extraction = Extraction (last { $count })
admin-col-error = Error
admin-excerpt-only = excerpt only
admin-failures = { $count ->
    [one] 1 failure
   *[other] { $count } failures
}
admin-poll-now = Poll now
admin-last-story = last story { $when }
admin-published-n = { $count } published
admin-rejected-of-total = { $rejected } rejected · { $total } total
admin-recent = { $count } recent
admin-never = never
admin-none = none
admin-share-body = body ≥80 words
admin-share-dated = dated
admin-share-bylined = bylined
admin-source-new = new
admin-source-ok = ok
admin-source-not_modified = not modified
admin-source-failing = failing
admin-refused-images = Refused images
admin-col-image = Image
admin-col-reason = Reason
admin-col-story-source = Story and source
admin-none-refused = No image has been refused.
admin-push-out = Push out
admin-col-target = Webhook or hub
admin-col-pending = Pending
admin-col-delivered = Delivered
admin-col-failed = Failed
admin-col-last-error = Last error
admin-last-attempt = last attempt { $when }
admin-nothing-pushed = Nothing pushed yet (see [push] in the configuration).
admin-moderated = Hidden and taken-down stories
admin-none-moderated = None.
admin-latest = Latest published
admin-status-published = published
admin-status-rejected = rejected
admin-status-hidden = hidden
admin-status-taken_down = taken down
admin-action-pin = pin
admin-action-unpin = unpin
admin-action-hide = hide
admin-action-unhide = unhide
admin-action-off-topic = off-topic
admin-action-takedown = takedown
admin-reason = Reason
admin-reason-placeholder = reason
admin-tags = Tags
admin-tags-placeholder = tags, comma-separated
admin-tags-save = Save tags
admin-rejected-title = Rejected stories
admin-rejected-total = { $count } rejected
admin-col-story = Story
admin-col-score = Score
admin-col-why = Why
admin-col-decision = Decision
admin-why-placeholder = why (optional)
admin-publish-anyway = Publish anyway

## Coverage: who carried a story, by kind of outlet and language
nav-coverage = Coverage
outlet-state = State media in Iran
outlet-independent = Independent and diaspora media
outlet-international = International media
outlet-regional = Regional media
outlet-other = Other media
sources-col-outlet = Who runs it
story-coverage = Who reported it
coverage-reports = { $count ->
    [one] one report
   *[other] { $count } reports
}
coverage-in-language = in { $language }
coverage-heading = Coverage
coverage-intro = The same event reads differently in state media inside Iran, in independent and diaspora media outside it, and in international media. These lists pick stories by who reported them: the story, its copies and its reports in the other language all count.
coverage-kinds-heading = Kinds of outlet
coverage-view-state-only = Reported only by state media
coverage-view-not-state = Not reported by state media
coverage-view-persian-only = Reported in Persian, not in English
coverage-view-english-only = Reported in English, not in Persian
coverage-about-state-only = Stories that only state or state-affiliated media inside Iran carried.
coverage-about-not-state = Stories that no state or state-affiliated outlet inside Iran carried.
coverage-about-persian-only = Stories reported in Persian and in no English source the site reads.
coverage-about-english-only = Stories reported in English and in no Persian source the site reads.
coverage-this-story = This story is listed in:
story-follow = Follow this story
story-feed-title = Updates: { $headline } · { $site }
story-feed-description = Every report of this story as it comes in: the first one, other outlets' copies and reports in other languages, and each revision.
