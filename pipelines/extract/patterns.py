"""Marker phrases and shapes of Chinese news pages, compiled once at import.

Every regex that decides what is boilerplate, a caption, a date or a byline
lives here, so the rules can be read (and extended) in one place. Patterns
accept Simplified and Traditional spellings, because cleanup runs before
normalization.

>>> bool(BOILER_SHORT.search("责任编辑：赵石乐"))
True
>>> bool(BOILER_LONG.search("会议强调，要加大流调溯源工作力度。"))
False
>>> bool(BOILER_LONG.search("“2018十大经济年度人物评选”火热进行中！【点击投票】Pick你心目中的商业领袖"))
True
>>> bool(BOILER_LONG.search("符合条件的考生请于6月前进行网上报名【点击报名】，逾期不再受理。"))
False
"""

from __future__ import annotations

import re

# Sentence-final punctuation: a block ending in one of these is complete. A
# colon too: a document's addressee line (各县（市、区）人民政府：) and the
# line introducing its items (现就有关事项通知如下：) are paragraphs of their own;
# so is a line ending in a dash that introduces them (获奖者分别是——).
TERMINAL = "。！？!?；;…”’」』）)】》]］\"'：:—―"
# Sentence punctuation anywhere in a block: headlines rarely carry it.
SENTENCE_PUNCT = re.compile(r"[。！？!?；;]")
SENTENCE_MARK = re.compile(r"[。！？!?]")   # a full sentence (not a clause before ；)
# a document's file extensions (an attachment's name, a link to it)
DOC_EXTENSIONS = r"docx?|xlsx?|pdf|wps|et|ofd|zip|rar|7z|pptx?"
CJK = re.compile(r"[\u3400-\u9fff]")

# A bar between a credit's label and its names (作者｜春春, 责编|陈梦莹): |, the
# fullwidth ｜ (U+FF5C), the vertical dash ︱ (U+FE31), and 丨 (U+4E28, a radical
# that WeChat-style editors write as a bar).
CREDIT_BAR = "[|｜︱丨]"

# A credit line in brackets: 【记者】柳时强, 【通讯员】罗瑞娴, 【校对】梁飞飞 (its label, its names)
BRACKETED_CREDIT = re.compile(r"^[【\[](记者|記者|通讯员|通訊員|作者|撰文|撰稿|校对|校對|编辑|編輯|审核|審核|审校|審校)"
                              r"[】\]]\s*([\u3400-\u9fff·\s、]{2,30})$")

# Whole lines that are page furniture when they are short (<= SHORT_LINE chars).
SHORT_LINE = 60
BOILER_SHORT = re.compile(
    r"版权所有|版[权權](声明|聲明)|[©®]|Copyright|All Rights Reserved|本网稿件|本網稿件|"
    r"ICP[备備证證]|公网安备|公網安備|网站标识码|網站標識碼|"
    r"责任编辑|責任編輯|[责責]编[:：]|^[（(【\[]?\s*(编辑|編輯|作者|采写|採寫|来源|來源)\s*[:：]|"
    # a credit line in brackets (南方网: 【记者】柳时强 / 【通讯员】罗瑞娴 / 【校对】梁飞飞)
    + BRACKETED_CREDIT.pattern + "|"
    r"二维码|二維碼|分享到|^分享至|分享让更多|^(举报|舉報|不喜欢|不喜歡|回复|回覆)$|【?字[体體][:：]|[【\[]?\s*(打印|关闭|關閉)(本页|本頁|窗口|本文)?\s*[】\]]|"
    r"打印本[页頁文]|关闭窗口|關閉窗口|上一篇|下一篇|上一页|下一页|上一版|下一版|^[【\[]?(上一条|下一条|上一條|下一條)([】\]]|\s*[:：]|$)|^[:：\s]*(没有了|沒有了)$|"
    r"(版面|标题|標題)(导航|導航)|PDF下载|往期回顾|"
    r"相关(链接|新闻|阅读|文章|热词)|相關(鏈接|新聞|閱讀|文章|熱詞)|推荐阅读|^(扫码|掃碼|扫描|掃描)(下载|下載|关注|關注|阅读|閱讀|收听|收聽|观看|觀看)|(扫码|掃碼).{0,12}(客户端|客戶端|公众号|公眾號|小程序)$|延伸阅读|猜你喜欢|热门推荐|"
    r"文章分[类類]|友情[链鏈]接|当前位置|當前位置|"
    r"(浏览|瀏覽|阅读|閱讀|点击|點擊|访问|訪問)(次数|次數|量|数|數)?[:：]\s*\d|"
    r"返回(搜狐|首页|顶部|目录)|查看更多|关键[字词][:：]|標[签籤][:：]|标签[:：]|^Tags?\s*[:：]|"
    r"【纠错】|我要(评论|纠错)|^(网友评论|網友評論|發表評論|发表评论)\s*([:：(（\d]|$)|"
    r"^\S{0,4}(跟[贴帖]|热门跟[贴帖])(热词)?\s*[:：]?\s*\d*$|^(最热|最新|热门|精彩|全部)评论$|"
    r"进入.{0,10}讨论|扫一扫|掃一掃|手机(看|浏览|访问)|"
    r"^-\s*(评论|关注)$|^[【\[]?(声明|聲明)[】\]]|"
    r"^\s*(发布|發布|发表|發表|更新)(时间|時間|日期)\s*[:：]|字[号號]\s*[:：]|[【\[]\s*大\s*中\s*小\s*[】\]]|"
    r"^(图片|圖片)均?(来自|來自|来源于|來源於)(网络|網絡)|"
    # a repost's placeholder credit on a line of its own: 信息来源于网络, 内容来自网络，如有侵权请联系删除
    r"^(信息|資訊|资讯|内容|內容|文章|素材|资料|資料|图文|圖文|部分图片|部分圖片)均?(来自|來自|来源于|來源於|源自|取自)"
    r"(网络|網絡|互联网|互聯網)\s*([，,；;。]\s*(如有|若有|如涉及|侵删|侵刪|版权|版權).*)?$|"
    # a WeChat account's follow prompt on a line of its own (its 微信扫一扫 half goes as 扫一扫)
    r"^(长按|長按|点击|點擊|欢迎|歡迎)?(识别二维码|識別二維碼)?\s*关注(该|本|我们的?)?(微信)?(公众号|公眾號)[。！!]?$|"
    # a QR box's heading, an account's name alone (新浪新闻公众号), and a link to a
    # topic page closing the text (点击进入专题：)
    r"^[\u3400-\u9fff]{2,8}(公众号|公眾號)$|^(点击|點擊)进入(专题|專題|话题|話題|专栏|專欄)\s*[:：]?$|"
    r"网站地图|網站地圖|联系我们|聯繫我們|关于我们|關於我們|建议使用.{0,30}(浏览器|瀏覽器|分辨率)|"
    r"(收藏|打印)本[页頁文]|加入收藏|设为首页|設為首頁|"
    r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\s+\d{1,2}:\d{2}|^\d*\s*人参与$|加载更多|^热[帖词门]$|"
    r"^[-·•]\s*\S.{0,70}\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$|"
    r"^(时间|時間|日期)\s*[:：]\s*\d{4}|^分享\s*[:：]|[【\[]\s*收藏\s*[】\]]|"
    # a disclosure document's metadata table (政府信息公开: 索引号, 发布机构, 文号…),
    # its labels with a colon, a header row of labels alone, a row opening with
    # the index number (076478684Q/2024-00112, 360A12-07-2024-0008-1)
    r"^(索\s*[引取]\s*号|主\s*题\s*分\s*类|[发發]\s*布\s*[机機]\s*[构構]|成\s*文\s*日\s*期|"
    r"[发發]\s*文\s*([机機]\s*[关關构構]|字\s*[号號])|有\s*效\s*性|公\s*[开開]\s*(方\s*式|范\s*[围圍]|[时時]\s*限)|"
    r"[组組]配分[类類]|体裁分[类類]|文\s*[号號]|名\s+[称稱]|信息(名[称稱]|索引|[类類]别)|生成日期|内容概述|"
    r"文件编号)\s*[:：]|"
    r"^(索[引取]号|发布(时间|日期|机构)|发文机关|文件编号|文号|成文日期|备注|主题分类)"
    r"(\s+(索[引取]号|发布(时间|日期|机构)|发文机关|文件编号|文号|成文日期|备注|主题分类)){2,}$|"
    r"^[0-9A-Z]{6,12}[/-]\d{4}-\d{3,6}(-\d+)?(\s|$)|"
    # a WeChat account's prompts: 回复【公租房】查看…, 点【在看】, 点击菜单栏…
    r"^(\d+[、.．]\s*)?(回复|回覆)[【\[「“].{1,12}[】\]」”]|"
    r"^字[号號]$|"   # a font-size tool's label left alone above the text
    r"^-\s*(推荐|推薦)$|"   # a recommendation widget's first tab (为您推荐), alone at the end
    r"^[（(]?(资料|資料)(图|圖)(片)?[）)]?$|"   # a caption's word alone under a photo
    # a closing credit line of labels and names set apart by spaces only
    # (编辑 刘晓阳 校对 李铭): no colon, nothing but the credits
    r"^(?:(?:编辑|編輯|责编|責編|校对|校對|审核|審核|监制|監製|美编|美編)\s+[\u3400-\u9fff·]{2,4}(?:\s+|$))+$|"
    # a credit line written with pipes (澎湃政务号: 责编|陈梦莹, 校对|黄慧敏, 作者︱春春)
    r"^(编辑|編輯|责编|責編|校对|校對|审核|審核|来源|來源|作者)\s*" + CREDIT_BAR + r"|点[【\[“]在看[】\]”]|^点击(菜单栏|蓝字|上方蓝字|下方[“”]?阅读原文)|"
    # a forum CMS's footer (Discuz!), a tip line, a weather widget
    r"Powered by|^GMT[+-]\d|"
    # a sidebar box's heading: a channel's name (新华网河北频道)
    r"^\S{2,12}(频道|頻道)$|"
    r"^(报料|報料|爆料|投稿|举报|舉報)(热线|熱線|电话|電話|邮箱|郵箱)\s*[:：]|天[气氣]\s*[:：].{0,20}℃|"
    # a footer's line for reporting illegal content (违法和不良信息举报电话：…), a sidebar's heading
    r"不良信息举报(电话|邮箱|热线|中心)?\s*[:：]|不良信息舉報(電話|郵箱|熱線|中心)?\s*[:：]|^(推荐|推薦)(新闻|新聞|文章)$")
# A site footer's lines, furniture only where no prose follows them (in a
# notice's text, 主办单位：教育部思想政治工作司 is the notice's).
FOOTER_SHORT = re.compile(r"主办单位|承办单位|技术支持|^(主办|承办|协办)\s*[:：]")
# Patterns specific enough to drop a block of any length.
BOILER_LONG = re.compile(
    r"本[网網][（(].{1,20}[）)]稿件|本[网網]稿件|本[网網]其他[转轉]载|"
    r"版[权權](均)?(属|屬|归|歸)|未[经經].{0,12}(授权|授權|许可|許可).{0,12}(不得|禁止)|"
    r"(转载|轉載).{0,20}(注明|请联系|請聯繫|出于传递|出於傳遞)|涉及版[权權]|"
    r"如需(删除|刪除|转载|轉載)请?(联系|聯繫)|本文由.{0,30}(转载|轉載)发布|"
    r"特别声明[:：]以上内容|Notice: The content above|"
    # a platform's disclaimer for what its users post (网易号, 搜狐号, 快传号...)
    r"平台仅提供信息存储服务|平台僅提供信息存儲服務|仅提供信息发布平台|僅提供信息發布平臺|"
    # a promotion's call to action (…火热进行中！【点击投票】Pick你心目中的…)
    r"[【\[](点击|點擊)(投票|参与|參與|报名|報名|购买|購買|领取|領取|抽奖|抽獎|订阅|訂閱)[】\]][^。！？!?]*$|"
    r"[【\[]免责声明[】\]]|本文仅代表作者(本人|个人)?观点|減少此類文章的推薦|减少此类文章的推荐|"
    r"申请加入.{0,8}(政务号|媒体号|媒体团|头条号|澎湃号)|"

    r"并不意味着赞同其观点|並不意味著贊同其觀點|"
    r"ICP[备備]\s*\d|公[网網]安[备備]\s*\d|Processed in [\d.]+ second|"
    # a footer: 版权所有 with the site's address or telephone
    r"版[权權]所有.{0,80}(地址|地點|电话|電話|邮编|郵編|传真|傳真)|"
    r"(地址|电话|電話|邮编|郵編)\s*[:：].{0,80}版[权權]所有|"
    # a teaser for another page: a paragraph ending in its link, ``…【详细】``
    r"[【\[](详细|詳細|详情|詳情)[】\]]\s*$|"
    # a tag row: 关键词 >> 新型冠状病毒,新冠病毒,… (thepaper), 关键字 》…
    r"^[【\[]?\s*(关键[字词]|關鍵[字詞]|标签|標籤)\s*[】\]]?\s*(>|》|＞|→)")
# a disclosure table's row written with its labels spaced out to a column's width
# (索 引 号 bm56000001/2022-00001937 分 类; 发布机构 发文日期), read without spaces:
# labels only, or the index number's row
_LABEL = (r"(索[引取]号|分类|分類|发布机构|發布機構|发文日期|發文日期|发布日期|發布日期|成文日期|名称|名稱|"
          r"文号|文號|主题词|主題詞|主题分类|發文機關|发文机关|有效性|废止日期|体裁分类|组配分类|公开方式)")
DISCLOSURE_ROW = re.compile(rf"^{_LABEL}{{2,}}$|^索[引取]号[0-9A-Za-z]{{6,14}}[/-]\d{{4}}-\d{{3,10}}(-\d+)?{_LABEL}*$")

# Navigation glued to the end of a paragraph (the same text node as the prose):
# cut from the paragraph, which stays.
TRAILING_NAV = re.compile(r"\s*(返回搜狐[，,]?\s*查看更多|[【\[]?返回(顶部|首页|頂部|首頁)[】\]]?|"
                          r"返回[\u3400-\u9fff]{1,6}(首页|首頁)\s*>*|"
                          # a hidden app prompt glued on (thepaper: display:none)
                          r"[（(]本文来自[^（）()]{1,20}[，,]更多原创资讯请下载[^（）()]{1,16}[）)])\s*$")
# The editor's credit on a line of its own, which closes the article.
EDITOR_END = re.compile(r"^[（(【\[]?\s*(责任编辑|責任編輯|[责責]编)\s*[:：]")
# A line from which the rest of the text is page furniture (after the body).
END_MARKER = re.compile(
    r"^[【\[]?(相关(链接|新闻|阅读|文章|推荐)|相關(鏈接|新聞|閱讀)|推荐阅读|延伸阅读|猜你喜欢|"
    r"热门(推荐|文章|新闻)|網友評論|网友评论|网易跟贴|热门跟贴|评论区|全部评论|发表评论|"
    r"新闻评论|重点推荐|精彩推荐|更多精彩|今日推荐|编辑推荐|推荐新闻|推薦新聞|为[您你]推荐|為[您你]推薦|"
    r"(点击|點擊)进入(专题|專題|话题|話題|专栏|專欄)|"
    r"特别声明|上一篇|下一篇|(上一条|下一条|上一條|下一條)(?=[】\]]|\s*[:：]|$)|友情[链鏈]接|文章分[类類]|"
    r"联系我们|聯繫我們)|"
    # the editor's credit closes the article: what follows it is the page's
    + EDITOR_END.pattern)

# A ranking box's heading (48小时评论排行, 点击排行榜) or a keyword box's label
# (关键词阅读：): the end of the text only over a list of links (a table of figures
# or a glossary under 人气排行榜 / 关键词阅读 is text)
RANK_MARKER = re.compile(
    r"^[【\[]?(\d+小时|\d+小時|今日|本周|本週|一周|一週|本月)?(评论|評論|点击|點擊|阅读|閱讀|热门|熱門|人气|人氣)?"
    r"排行(榜)?[】\]]?$|^[【\[]?(关键[字词]|關鍵[字詞])(阅读|閱讀)[】\]]?\s*[:：]?$")

# A repost's note of the headline it first ran under, opening the text:
# （原标题：…）, 原标题：…, 本文原标题：《…》 (a line of its own, not prose).
ORIGINAL_TITLE = re.compile(r"^[（(【\[]?\s*(本文)?原[标標][题題]\s*[:：].{1,100}$")

# The heading of a box of links to other stories (延伸阅读, 相关新闻, 延伸 · 推荐),
# matched once spaces and separators are taken out.
RELATED_HEADING = re.compile(r"^(延伸|相关|相關|推荐|推薦|热门|熱門|更多|猜你)(阅读|閱讀|推荐|推薦|链接|鏈接|新闻|新聞|"
                             r"文章|报道|報道|喜欢|喜歡)$")

# A label and a number (成人票原价：30元, 电话：58036000): a row of a list, not a headline.
FIELD_ROW = re.compile(r"^[^：:]{1,16}[：:]\s*[\d０-９]")

# Photo credits and captions.
PHOTO_CREDIT = re.compile(
    r"(记者|記者|通讯员|通訊員)?\s*[\u3400-\u9fff·]{2,5}\s*[/／]?\s*[摄攝](影)?\s*[）)]?$|"
    r"[（(].{0,20}[摄攝][）)]$|(图片来源|圖片來源|供图|供圖|资料图|資料圖)|"
    r"[/／]\s*(图|圖)\s*[:：]\s*[\w\u3400-\u9fff·]{1,20}\s*[）)]?$")   # …超重。/图：123rf
# A photo agency's credit closing a caption: ``共享充电宝。视觉中国 资料``, ``（东方IC）``.
PHOTO_AGENCY = re.compile(r"(视觉中国|視覺中國|东方IC|東方IC|IC\s*photo|图虫创意|圖蟲創意|人民视觉|人民視覺|"
                          r"CFP|Getty\s*Images?|全景网|全景網)\s*(资料图?|資料圖?|供图|供圖|图|圖)?\s*[）)]?$",
                          re.I)
# A caption's own opening: the photo's origin named first, after an arrow
# pointing up at the photo or not (▲图片来自视频截图。, 图片来源：摄图网).
CAPTION_SOURCE = re.compile(r"^[▲△▼↑]?\s*(图片|圖片)(来源|來源|来自|來自|提供)|^[▲△▼↑]?\s*(图源|圖源|资料图|資料圖)")
CAPTION_CLASS = re.compile(r"caption|pic_?(txt|text|title|desc|note|info)|img_?(txt|text|desc|note)|"
                           r"photo_?(txt|text|desc)|tu_?txt|imgtxt|pictext|figcaption", re.I)
CENTERED_STYLE = re.compile(r"text-align\s*:\s*center", re.I)

# Headline shapes: kicker/main/subtitle lines and the leads that open an article.
LEAD = re.compile(
    r"^\s*(本报讯|本報訊|本报[\u3400-\u9fff]{0,6}\d{1,2}月\d{1,2}日(电|電|讯|訊)|"
    r"(新华社|新華社|中新社|中新网|中新網)[\u3400-\u9fff]{1,8}\d{1,2}月\d{1,2}日(电|電)|"
    r"[\u3400-\u9fff]{2,12}(讯|訊)\s*[（(]|[\u3400-\u9fff]{2,12}\d{1,2}月\d{1,2}日(电|電)|"
    r"[（(][\u3400-\u9fff]{0,10}(记者|記者))")

# The bracket first, then the look back at the character before it: a pattern
# opening with a character class is scanned for quickly, a look-behind is not.
_PINYIN = re.compile(r"[(（](?<=[\u3400-\u9fff][(（])[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,7}[)）]")


def unannotated(text: str) -> str:
    """Text with pinyin readings after characters removed, for matching only
    (the archived text is repaired later by pipelines.normalize).

    >>> unannotated("責(zé)任編(biān)輯：趙")
    '責任編輯：趙'
    """
    return _PINYIN.sub("", text) if "(" in text or "（" in text else text


def squash(text: str) -> str:
    """Whitespace-free form used to compare blocks.

    >>> squash(" 甲 乙\\u3000丙 ")
    '甲乙丙'
    """
    return "".join(text.split()) if text else ""   # split(): the whitespace of \s, faster
