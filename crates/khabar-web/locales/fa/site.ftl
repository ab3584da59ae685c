## متن رابط کاربری سایت (فارسی). هر کلید اینجا همتای انگلیسی در ../en/site.ftl دارد.

## Chrome: header, navigation, search box, footer
skip-to-content = رفتن به محتوا
nav-main = اصلی
nav-latest = تازه‌ها
nav-topics = موضوع‌ها
nav-sources = منابع
nav-archive = بایگانی
nav-feeds = خوراک‌ها
edition-label = نسخه
edition-en = English
edition-fa = فارسی
search-label = جست‌وجوی خبرها
search-button = جست‌وجو
footer-credit = { $site } خبرها را با ذکر منبع بازنشر می‌کند؛ هر خبر به نسخهٔ اصلی‌اش پیوند دارد.
footer-api = API
footer-sitemap = نقشهٔ سایت
feed-atom = Atom
feed-rss = RSS
feed-json = خوراک JSON
feed-title = { $title } ({ $format })
follow = دنبال کنید:

## Story lists
pinned = سنجاق‌شده
also-reported = { $count } رسانهٔ دیگر هم گزارش داده‌اند
pager-label = صفحه‌ها
pager-newer = → تازه‌تر
pager-older = قدیمی‌تر ←
pager-position = صفحهٔ { $page } از { $pages }
page-title-numbered = { $title } (صفحهٔ { $page })
no-stories = هنوز خبری نیست.
source-health = وضعیت منابع

## Front page
home-title = تازه‌ترین خبرها
home-heading = تازه‌ترین خبرها
home-heading-en = تازه‌ترین خبرهای انگلیسی
home-heading-fa = تازه‌ترین خبرهای فارسی
home-lead = خبر اصلی
home-sections = خبرها بر اساس موضوع
home-section-more = خبرهای بیشتر دربارهٔ { $topic }
home-latest = تازه‌ها

## Story page
story-read-full = متن کامل را در { $source } بخوانید
story-original = خبر اصلی
story-tags = موضوع‌ها
story-also = گزارش‌شده در رسانه‌های دیگر
story-our-copy = نسخهٔ ما
story-more = بیشتر دربارهٔ این خبر
story-also-in = به { $language } هم: { $count } گزارش
story-timeline = روند این خبر
timeline-first = نخستین بار گزارش داد
timeline-report = گزارش داد
timeline-revision = متن ویرایش شد: { $added } واژه افزوده و { $removed } واژه حذف شد.
timeline-correction = اصلاح شد:
timeline-headline = تیتر پیشین: «{ $before }»
timeline-more = و { $count } تغییر دیگر
story-image-credit = عکس: { $credit }
like-button = پسندیدم
like-done = پسندیدید
like-already = پیش‌تر پسندیده‌اید
likes = { $count ->
    [0] نخستین کسی باشید که این خبر را می‌پسندد
   *[other] { $count } خواننده این خبر را پسندیده‌اند
}

## Source, topic and day pages
source-title = { $source }
source-description = خبرهای { $source } در { $site }
source-about = زبان: { $language } · نوع: { $kind } ·
source-visit = رفتن به سایت { $source }
source-kind-feed = خوراک خبری
source-kind-sitemap = نقشهٔ سایت
tag-title = موضوع: { $topic }
tag-heading = { $topic }
tag-feed-description = خبرهای { $topic } در { $site }
day-heading = خبرهای { $date }
day-intro = همهٔ خبرهای { $date } (به وقت جهانی). روزهای دیگر در بایگانی است.

## Indexes
topics-heading = موضوع‌ها
topics-intro = همهٔ موضوع‌ها با شمار خبرهای هر کدام.
topic-count = { $count } خبر
sources-heading = منابع
sources-intro = خبرها از این منابع می‌آیند. صفحهٔ هر منبع خبرهایش را فهرست می‌کند.
sources-col-name = منبع
sources-col-language = زبان
sources-col-kind = نوع
sources-col-site = وب‌سایت
sources-empty = هنوز منبعی نیست.

## Archive
archive-heading = بایگانی
archive-intro = خبرها به تفکیک ماه؛ صفحهٔ هر ماه روزها و خبرهایش را نشان می‌دهد.
archive-month-count = { $count } خبر
archive-year-total = { $count } خبر در { $year }
archive-month-heading = بایگانی: { $month }
archive-month-total = { $count } خبر در { $month }
archive-months-label = ماه‌ها
archive-calendar = روزهای { $month }
archive-stories = خبرهای { $month }
archive-all = همهٔ ماه‌ها
archive-empty = هنوز خبری نیست.
weekday-1 = دوشنبه
weekday-2 = سه‌شنبه
weekday-3 = چهارشنبه
weekday-4 = پنجشنبه
weekday-5 = جمعه
weekday-6 = شنبه
weekday-7 = یکشنبه

## Search
search-heading = جست‌وجو
search-title = جست‌وجو: { $query }
search-words = واژه‌ها
search-language = زبان
search-any = همه
search-order = ترتیب
search-best = بهترین تطابق
search-newest = تازه‌ترین
search-from = از
search-to = تا
search-found = { $exact ->
    [yes] { $count } خبر یافت شد.
   *[no] بیش از { $count } خبر یافت شد.
}
search-follow = دنبال کردن این جست‌وجو (Atom)
search-feed-title = جست‌وجوی «{ $query }»
search-feed-description = خبرهای هم‌خوان با «{ $query }» در { $site }

## Error pages
error-go-home = به تازه‌ترین خبرها بروید یا در بالا جست‌وجو کنید.
error-page-not-found = صفحه پیدا نشد
error-page-not-found-text = در این نشانی صفحه‌ای نیست.
error-story-removed = خبر حذف شده است
error-story-removed-text = این خبر حذف شده است.
error-bad-request = درخواست نادرست
error-sign-in-required = ورود لازم است
error-not-allowed = مجاز نیست
error-slow-down = کمی آهسته‌تر
error-slow-down-text = درخواست‌ها بیش از حد است؛ یک دقیقه دیگر دوباره امتحان کنید.
error-server-error = خطای سرور
error-server-error-text = در سمت ما مشکلی پیش آمد. لطفاً کمی بعد دوباره امتحان کنید.

## Dates (Persian pages use the Jalali calendar; these name Gregorian months of the archive)
date-long = { $day } { $month } { $year }
date-time = { $date }، ساعت { $time } به وقت جهانی
month-year = { $month } { $year }
month-1 = ژانویه
month-2 = فوریه
month-3 = مارس
month-4 = آوریل
month-5 = مه
month-6 = ژوئن
month-7 = ژوئیه
month-8 = اوت
month-9 = سپتامبر
month-10 = اکتبر
month-11 = نوامبر
month-12 = دسامبر

## Language names
language-en = انگلیسی
language-fa = فارسی

## Topic names (tag slugs from the topic definition)
tag-nuclear = برنامهٔ هسته‌ای
tag-sanctions-economy = تحریم و اقتصاد
tag-protests-rights = اعتراض و حقوق بشر
tag-regional-conflict = درگیری‌های منطقه‌ای
tag-diplomacy = دیپلماسی
tag-energy = انرژی
tag-politics = سیاست
tag-culture-sport = فرهنگ و ورزش
tag-society-environment = جامعه و محیط زیست
tag-economy = اقتصاد

## Why an empty site has no stories (home and list pages)
empty-no-sources = هنوز هیچ منبعی تعریف نشده است: با فرمان khabar source add URL یا در بخش [[sources]] پیکربندی یکی بیفزایید.
empty-all-failing = هنوز خبری نیست: هر { $total } منبع با خطا روبه‌رو هستند.
empty-not-fetched-next = هنوز خبری نیست: { $total } منبع هنوز خوانده نشده‌اند؛ نوبت بعدی در { $at } است.
empty-not-fetched-starting = هنوز خبری نیست: { $total } منبع هنوز خوانده نشده‌اند؛ نخستین نوبت در حال آغاز است.
empty-nothing-on-topic = هنوز خبری نیست: منابع خوانده شدند، اما هنوز خبری دربارهٔ موضوع سایت منتشر نشده است.
empty-some-failing = { $failing } منبع از { $total } منبع با خطا روبه‌رو هستند.
empty-health-admin = جدول وضعیت منابع در صفحهٔ مدیریت است.
empty-health-cli = فرمان khabar source list آخرین خطای هر منبع را نشان می‌دهد.

## Admin pages
admin-title = مدیریت
admin-sign-in = ورود به مدیریت
admin-sign-in-button = ورود
admin-sign-out = خروج
admin-token = رمز مدیریت
admin-token-wrong = این رمز درست نیست.
admin-back = → مدیریت
admin-health = سلامت
admin-metrics = سنجه‌ها
admin-done = انجام شد: { $action }.
admin-stories = خبرها
admin-count-published = منتشرشده
admin-count-primaries = خبرهای اصلی صفحهٔ نخست
admin-count-rejected = ردشده
admin-count-hidden = پنهان
admin-count-taken-down = برداشته‌شده
admin-count-all = همه
admin-count-sources = منبع‌ها
admin-count-likes = پسندها
admin-sources = منبع‌ها
admin-show = نمایش:
admin-show-all = همه
admin-most-failing = پرخطاترین‌ها نخست
admin-col-source = منبع
admin-col-status = وضعیت
admin-col-last-fetch = آخرین خواندن
admin-col-stories = خبرها
admin-col-extraction = استخراج ({ $count } خبر آخر)
admin-col-error = خطا
admin-excerpt-only = فقط چکیده
admin-failures = { $count } خطای پیاپی
admin-poll-now = همین حالا بخوان
admin-last-story = آخرین خبر { $when }
admin-published-n = { $count } منتشرشده
admin-rejected-of-total = { $rejected } ردشده · { $total } در کل
admin-recent = { $count } خبر تازه
admin-never = هرگز
admin-none = هیچ
admin-share-body = متن ۸۰ واژه یا بیشتر
admin-share-dated = تاریخ‌دار
admin-share-bylined = با نام نویسنده
admin-source-new = تازه
admin-source-ok = سالم
admin-source-not_modified = بی‌تغییر
admin-source-failing = با خطا
admin-refused-images = تصویرهای پذیرفته‌نشده
admin-col-image = تصویر
admin-col-reason = دلیل
admin-col-story-source = خبر و منبع
admin-none-refused = هیچ تصویری رد نشده است.
admin-push-out = ارسال به بیرون
admin-col-target = وب‌هوک یا هاب
admin-col-pending = در انتظار
admin-col-delivered = رسیده
admin-col-failed = ناموفق
admin-col-last-error = آخرین خطا
admin-last-attempt = آخرین تلاش { $when }
admin-nothing-pushed = هنوز چیزی فرستاده نشده است (بخش [push] پیکربندی را ببینید).
admin-moderated = خبرهای پنهان و برداشته‌شده
admin-none-moderated = هیچ.
admin-latest = تازه‌ترین منتشرشده‌ها
admin-status-published = منتشرشده
admin-status-rejected = ردشده
admin-status-hidden = پنهان
admin-status-taken_down = برداشته‌شده
admin-action-pin = سنجاق
admin-action-unpin = برداشتن سنجاق
admin-action-hide = پنهان کن
admin-action-unhide = آشکار کن
admin-action-off-topic = بی‌ربط به موضوع
admin-action-takedown = بردار
admin-reason = دلیل
admin-reason-placeholder = دلیل
admin-tags = برچسب‌ها
admin-tags-placeholder = برچسب‌ها، جداشده با ویرگول
admin-tags-save = ذخیرهٔ برچسب‌ها
admin-rejected-title = خبرهای ردشده
admin-rejected-total = { $count } ردشده
admin-col-story = خبر
admin-col-score = امتیاز
admin-col-why = چرا
admin-col-decision = تصمیم
admin-why-placeholder = چرا (اختیاری)
admin-publish-anyway = با این حال منتشر کن

## پوشش خبری: چه رسانه‌هایی، از چه نوعی و به چه زبانی خبر را گزارش دادند
nav-coverage = پوشش خبری
outlet-state = رسانه‌های حکومتی در ایران
outlet-independent = رسانه‌های مستقل و برون‌مرزی
outlet-international = رسانه‌های بین‌المللی
outlet-regional = رسانه‌های منطقه‌ای
outlet-other = رسانه‌های دیگر
sources-col-outlet = گرداننده
story-coverage = چه کسانی گزارش دادند
coverage-reports = { $count ->
    [one] یک گزارش
   *[other] { $count } گزارش
}
coverage-in-language = به { $language }
coverage-heading = پوشش خبری
coverage-intro = یک رویداد در رسانه‌های حکومتی داخل ایران، در رسانه‌های مستقل و برون‌مرزی و در رسانه‌های بین‌المللی یکسان روایت نمی‌شود. این فهرست‌ها خبرها را بر پایهٔ گزارش‌دهندگانشان جدا می‌کنند: خود خبر، رونوشت‌هایش و گزارش‌هایش به زبان دیگر همه به حساب می‌آیند.
coverage-kinds-heading = انواع رسانه
coverage-view-state-only = فقط در رسانه‌های حکومتی
coverage-view-not-state = گزارش‌نشده در رسانه‌های حکومتی
coverage-view-persian-only = به فارسی، نه به انگلیسی
coverage-view-english-only = به انگلیسی، نه به فارسی
coverage-about-state-only = خبرهایی که فقط رسانه‌های حکومتی یا وابسته به حکومت در ایران گزارش دادند.
coverage-about-not-state = خبرهایی که هیچ رسانهٔ حکومتی یا وابسته به حکومت در ایران گزارش نداد.
coverage-about-persian-only = خبرهایی که به فارسی گزارش شدند و در هیچ منبع انگلیسی‌زبان این سایت نیامدند.
coverage-about-english-only = خبرهایی که به انگلیسی گزارش شدند و در هیچ منبع فارسی‌زبان این سایت نیامدند.
coverage-this-story = این خبر در این فهرست‌ها آمده است:
story-follow = دنبال کردن این خبر
story-feed-title = تازه‌های خبر: { $headline } · { $site }
story-feed-description = همهٔ گزارش‌های این خبر همان‌گاه که می‌رسند: نخستین گزارش، رونوشت‌های رسانه‌های دیگر، گزارش‌ها به زبان دیگر و هر ویرایش.
