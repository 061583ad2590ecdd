<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AddItemDialog</name>
    <message>
        <source>Add an item to lend</source>
        <translation>新增借用物品</translation>
    </message>
    <message>
        <source>Tag number</source>
        <translation>物品编号</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>物品名称</translation>
    </message>
    <message>
        <source>Comes with</source>
        <translation>附件</translation>
    </message>
</context>
<context>
    <name>AddKeyDialog</name>
    <message>
        <source>Add a key</source>
        <translation>新增钥匙</translation>
    </message>
    <message>
        <source>Tag number</source>
        <translation>钥匙牌号</translation>
    </message>
    <message>
        <source>What it opens</source>
        <translation>开启部位</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>House (in custody)</source>
        <translation>房屋（托管）</translation>
    </message>
    <message>
        <source>Hook or cabinet</source>
        <translation>挂钩/柜位</translation>
    </message>
    <message>
        <source>Copies</source>
        <translation>把数</translation>
    </message>
    <message>
        <source>Keeper (approves loans)</source>
        <translation>负责人（审批借用）</translation>
    </message>
</context>
<context>
    <name>AnswersDialog</name>
    <message>
        <source>Answers to {title}</source>
        <translation>录入答卷：{title}</translation>
    </message>
    <message>
        <source>House</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>not answered</source>
        <translation>未答</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>EstateDesk</source>
        <translation>物业服务台</translation>
    </message>
    <message>
        <source>This PC&apos;s database cannot be opened.</source>
        <translation>无法打开本机使用的数据库。</translation>
    </message>
    <message>
        <source>Try again once it is fixed, or work for this start in this PC&apos;s own database file ({path}; a new, empty one if there is none): what is entered there is not in the office&apos;s shared database. An administrator changes the database in Settings.</source>
        <translation>请在问题解决后重试，或本次启动改用本机自己的数据库文件（{path}；没有则新建一个空的）：在那里录入的内容不会进入办公室的共用数据库。管理员可在“设置”中更改数据库。</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Use this PC&apos;s own database</source>
        <translation>使用本机自己的数据库</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
</context>
<context>
    <name>ApplicationDialog</name>
    <message>
        <source>Renovation application</source>
        <translation>装修申请</translation>
    </message>
    <message>
        <source>House</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>Applicant (owner)</source>
        <translation>申请人（业主）</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Contractor</source>
        <translation>施工单位</translation>
    </message>
    <message>
        <source>Licence number</source>
        <translation>执照号码</translation>
    </message>
    <message>
        <source>Business licence or qualification certificate</source>
        <translation>营业执照或资质证书号</translation>
    </message>
    <message>
        <source>Contractor&apos;s phone</source>
        <translation>施工单位电话</translation>
    </message>
    <message>
        <source>Works</source>
        <translation>装修内容</translation>
    </message>
    <message>
        <source>Touches</source>
        <translation>涉及</translation>
    </message>
    <message>
        <source>Works start</source>
        <translation>开工日期</translation>
    </message>
    <message>
        <source>Works end</source>
        <translation>完工日期</translation>
    </message>
    <message>
        <source>Workers</source>
        <translation>施工人员</translation>
    </message>
    <message>
        <source>One a line: name, ID number, phone, trade</source>
        <translation>每行一人：姓名 身份证号 电话 工种</translation>
    </message>
    <message>
        <source>No such house</source>
        <translation>没有这个房屋</translation>
    </message>
    <message>
        <source>Enter the house</source>
        <translation>请输入房号</translation>
    </message>
</context>
<context>
    <name>ApprovalDialog</name>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <source>Supervisor&apos;s password</source>
        <translation>主管密码</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>批准</translation>
    </message>
</context>
<context>
    <name>ArchivePage</name>
    <message>
        <source>Search: 3-2-1201, 3栋2单元1201, a name, zs (张三), or the last 4 digits of a phone — Enter</source>
        <translation>搜索：3-2-1201、3栋2单元1201、姓名、拼音首字母 zs(张三)或手机尾号4位 — 回车</translation>
    </message>
    <message>
        <source>Building / unit</source>
        <translation>楼栋 / 单元</translation>
    </message>
    <message>
        <source>Houses</source>
        <translation>户数</translation>
    </message>
    <message>
        <source>Found</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>House</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>业主</translation>
    </message>
    <message>
        <source>Resident</source>
        <translation>住户</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Add building…</source>
        <translation>新增楼栋…</translation>
    </message>
    <message>
        <source>Add unit…</source>
        <translation>新增单元…</translation>
    </message>
    <message>
        <source>Add house…</source>
        <translation>新增房屋…</translation>
    </message>
    <message>
        <source>Missing papers…</source>
        <translation>缺失资料…</translation>
    </message>
    <message>
        <source>Print archive cards…</source>
        <translation>打印档案卡…</translation>
    </message>
    <message>
        <source>Move-in</source>
        <translation>办理入住</translation>
    </message>
    <message>
        <source>{n} found for “{text}”</source>
        <translation>“{text}”找到 {n} 条</translation>
    </message>
    <message>
        <source>Nothing found for “{text}”</source>
        <translation>没有找到“{text}”</translation>
    </message>
    <message>
        <source>Add unit</source>
        <translation>新增单元</translation>
    </message>
    <message>
        <source>Choose a building in the tree first</source>
        <translation>请先在左侧选中一个楼栋</translation>
    </message>
    <message>
        <source>Add house</source>
        <translation>新增房屋</translation>
    </message>
    <message>
        <source>Choose a unit in the tree first</source>
        <translation>请先在左侧选中一个单元</translation>
    </message>
    <message>
        <source>whole estate</source>
        <translation>全小区</translation>
    </message>
    <message>
        <source>Print archive cards</source>
        <translation>打印档案卡</translation>
    </message>
    <message>
        <source>There are no houses here.</source>
        <translation>这里没有房屋。</translation>
    </message>
    <message>
        <source>Make the archive cards of the {n} houses of {where}? Each card shows the house&apos;s owners, residents and papers, with ID numbers and phones masked.</source>
        <translation>生成{where}全部 {n} 户的档案卡吗？每张卡列出该户的业主、住户和资料，证件号和电话已打码。</translation>
    </message>
    <message>
        <source>Making the archive cards…</source>
        <translation>正在生成档案卡…</translation>
    </message>
    <message>
        <source>Archive cards — {where}</source>
        <translation>档案卡 — {where}</translation>
    </message>
</context>
<context>
    <name>ArrearsPage</name>
    <message>
        <source>The whole estate</source>
        <translation>全小区</translation>
    </message>
    <message>
        <source>Print this list…</source>
        <translation>打印清单…</translation>
    </message>
    <message>
        <source>Payment notices…</source>
        <translation>缴款通知…</translation>
    </message>
    <message>
        <source>A payment notice (缴款通知) for every house here that owes</source>
        <translation>为此范围内每户欠费户打印缴款通知</translation>
    </message>
    <message>
        <source>Dunning notices…</source>
        <translation>催缴通知书…</translation>
    </message>
    <message>
        <source>A dunning notice (催缴通知书) for every house here owing the months set in the office rules or more</source>
        <translation>为此范围内欠费达到规定月数的住户打印催缴通知书</translation>
    </message>
    <message>
        <source>House</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>Owners</source>
        <translation>业主</translation>
    </message>
    <message>
        <source>Months owed</source>
        <translation>欠费月数</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>起始</translation>
    </message>
    <message>
        <source>Owed</source>
        <translation>欠款</translation>
    </message>
    <message>
        <source>Of it not yet due</source>
        <translation>其中未到期</translation>
    </message>
    <message>
        <source>Next step</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>List</source>
        <translation>列表</translation>
    </message>
    <message>
        <source>Floor plan</source>
        <translation>楼盘图</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>范围</translation>
    </message>
    <message>
        <source>Collection rate of</source>
        <translation>收缴率月份</translation>
    </message>
    <message>
        <source>Make a payment notice for each of the {n} houses that owe ({where})?</source>
        <translation>为{where}欠费的 {n} 户各打印一份缴款通知吗？</translation>
    </message>
    <message>
        <source>Make a dunning notice for each of the {n} houses owing {months} months or more past the due date ({where})?</source>
        <translation>为{where}逾期欠费 {months} 个月及以上的 {n} 户各打印一份催缴通知书吗？</translation>
    </message>
    <message>
        <source>{n} houses owe {total} in all; ★: {months} months or more.</source>
        <translation>共 {n} 户欠费，合计 {total}；★：欠费 {months} 个月及以上。</translation>
    </message>
    <message>
        <source>Choose a building above to see its floor plan.</source>
        <translation>请在上方选择楼栋以查看楼盘图。</translation>
    </message>
    <message>
        <source>{period}: nothing billed yet. Recovered in the month for earlier months: {recovered}.</source>
        <translation>{period}：尚未计费。本月收回往月欠费：{recovered} 元。</translation>
    </message>
    <message>
        <source>on target</source>
        <translation>达标</translation>
    </message>
    <message>
        <source>{period}: {paid} paid of {billed} billed, {rate} ({verdict}). {items}. Recovered in the month for earlier months: {recovered}.</source>
        <translation>{period}：应收 {billed} 元，已收 {paid} 元，收缴率 {rate}（{verdict}）。{items}。本月收回往月欠费：{recovered} 元。</translation>
    </message>
    <message>
        <source>Payment notices</source>
        <translation>缴款通知</translation>
    </message>
    <message>
        <source>Dunning notices</source>
        <translation>催缴通知书</translation>
    </message>
    <message>
        <source>Making the notices…</source>
        <translation>正在生成通知…</translation>
    </message>
    <message>
        <source>Nobody here owes anything now.</source>
        <translation>此范围内目前没有欠费。</translation>
    </message>
    <message>
        <source>{n} houses owe {total} in all; red: {months} months or more.</source>
        <translation>共 {n} 户欠费，合计 {total}；红色：欠费 {months} 个月及以上。</translation>
    </message>
    <message>
        <source>Green: nothing owed; yellow: one month; orange: two or more; red: {months} months or more. Click a house to open it at the counter.</source>
        <translation>绿色：无欠费；黄色：欠一个月；橙色：欠两个月及以上；红色：欠 {months} 个月及以上。点击房屋可在收费台打开。</translation>
    </message>
    <message>
        <source>below the {target} target</source>
        <translation>未达 {target} 的目标</translation>
    </message>
    <message>
        <source>{k} more are waiting for the date they promised to pay and are left out.</source>
        <translation>另有 {k} 户在等待其承诺的缴费日期，不在其中。</translation>
    </message>
    <message>
        <source>No house here needs one.</source>
        <translation>此范围内没有需要发送的住户。</translation>
    </message>
    <message>
        <source>Arrears — {where}</source>
        <translation>欠费清单 — {where}</translation>
    </message>
</context>
<context>
    <name>AuditModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation>全部用户</translation>
    </message>
    <message>
        <source>All actions</source>
        <translation>全部操作</translation>
    </message>
    <message>
        <source>Text in the record, e.g. 3-2-1201</source>
        <translation>记录中的文字，如 3-2-1201</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>筛选</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>To</source>
        <translation>到</translation>
    </message>
</context>
<context>
    <name>AuthorisationDialog</name>
    <message>
        <source>Standing authorisation — {house}</source>
        <translation>常年钥匙委托 — {house}</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Relation</source>
        <translation>关系</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>委托日期</translation>
    </message>
    <message>
        <source>Withdraw…</source>
        <translation>撤销…</translation>
    </message>
    <message>
        <source>Named by the owner</source>
        <translation>业主委托的人</translation>
    </message>
    <message>
        <source>tenant, decorator, relative …</source>
        <translation>租户、装修、亲属 …</translation>
    </message>
    <message>
        <source>ID number (checked on the card)</source>
        <translation>身份证号（已核对证件）</translation>
    </message>
    <message>
        <source>Owner&apos;s letter</source>
        <translation>业主委托书</translation>
    </message>
    <message>
        <source>key authorisation letter (钥匙委托书) received</source>
        <translation>已收到钥匙委托书</translation>
    </message>
    <message>
        <source>Owner confirmed</source>
        <translation>业主确认方式</translation>
    </message>
    <message>
        <source>Confirmed at</source>
        <translation>确认时间</translation>
    </message>
    <message>
        <source>Add to the authorisation</source>
        <translation>加入委托名单</translation>
    </message>
    <message>
        <source>Choose a person in the list first</source>
        <translation>请先在列表中选择一人</translation>
    </message>
    <message>
        <source>Take {name} off the standing authorisation; why (the owner said so …):</source>
        <translation>将 {name} 移出常年委托；原因（业主要求 …）：</translation>
    </message>
</context>
<context>
    <name>BackupDialog</name>
    <message>
        <source>Back up the office</source>
        <translation>数据备份</translation>
    </message>
    <message>
        <source>Last good backup: {at}, {file}</source>
        <translation>上次成功备份：{at}，{file}</translation>
    </message>
    <message>
        <source>No backup has been made yet.</source>
        <translation>尚未做过备份。</translation>
    </message>
    <message>
        <source>Look again</source>
        <translation>重新查找</translation>
    </message>
    <message>
        <source>USB stick</source>
        <translation>U 盘</translation>
    </message>
    <message>
        <source>the USB stick, or a folder</source>
        <translation>U 盘或文件夹</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Into</source>
        <translation>备份到</translation>
    </message>
    <message>
        <source>Password (optional)</source>
        <translation>密码（可不设）</translation>
    </message>
    <message>
        <source>Password again</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <source>Back up</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>no USB stick found: plug one in, or choose a folder below</source>
        <translation>未找到 U 盘：插入后点“重新查找”</translation>
    </message>
    <message>
        <source>{n} found: choose one</source>
        <translation>找到 {n} 个，请选择</translation>
    </message>
    <message>
        <source>Back up into</source>
        <translation>选择备份位置</translation>
    </message>
    <message>
        <source>This backup will not be encrypted: anyone who has the stick or the file can read the owners&apos; ID numbers, phones and everything else in it.</source>
        <translation>这份备份不会加密：任何拿到U盘或文件的人都能看到业主的身份证号、电话及其中的全部内容。</translation>
    </message>
    <message>
        <source>Set a password unless the backup stays locked away.</source>
        <translation>除非备份会锁起来保管，否则请设置密码。</translation>
    </message>
    <message>
        <source>Set a password</source>
        <translation>设置密码</translation>
    </message>
    <message>
        <source>Back up without a password</source>
        <translation>不设密码，直接备份</translation>
    </message>
    <message>
        <source>Backing up…</source>
        <translation>正在备份…</translation>
    </message>
    <message>
        <source>Backed up and checked: {file}</source>
        <translation>备份完成并已校验：{file}</translation>
    </message>
</context>
<context>
    <name>BillingPage</name>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Post these charges…</source>
        <translation>入账…</translation>
    </message>
    <message>
        <source>Shared total…</source>
        <translation>公摊…</translation>
    </message>
    <message>
        <source>Enter a month&apos;s shared utility bill (公摊) to split among the houses</source>
        <translation>录入当月公共水电账单(公摊)，分摊到各户</translation>
    </message>
    <message>
        <source>Choose the month and preview what it will post.</source>
        <translation>选择月份，先预览将要入账的费用。</translation>
    </message>
    <message>
        <source>House</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>收费项目</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Working out the charges…</source>
        <translation>正在计算费用…</translation>
    </message>
    <message>
        <source>Billing</source>
        <translation>计费</translation>
    </message>
    <message>
        <source>{period}: {n} charges for {houses} houses, {total} in all, due {due}.</source>
        <translation>{period}：{houses} 户共 {n} 笔费用，合计 {total} 元，缴费截止 {due}。</translation>
    </message>
    <message>
        <source>Of these, {m} from meter readings and {s} from shared totals.</source>
        <translation>其中 {m} 笔来自抄表，{s} 笔来自公摊。</translation>
    </message>
    <message>
        <source>{n} charges of this month were posted before and are left as they are.</source>
        <translation>本月已有 {n} 笔费用入过账，保持不变。</translation>
    </message>
    <message numerus="yes">
        <source>{item}: {read} read, %n house(s) not read</source>
        <translation>
            <numerusform>{item}：已抄 {read} 户，未抄 %n 户</numerusform>
        </translation>
    </message>
    <message>
        <source>Meter readings of {period}: {items}. Houses not read are not charged for it now; a run after their readings are entered charges them.</source>
        <translation>{period} 抄表：{items}。未抄表的住户本次不计费，录入读数后再次计费即补计。</translation>
    </message>
    <message>
        <source>{total} will be shared among {n} houses when the month is posted.</source>
        <translation>{total} 元将在本月计费时分摊给 {n} 户。</translation>
    </message>
    <message>
        <source>Post {n} charges for {period}, {total} in all? Prepaid balances then pay what they can.</source>
        <translation>将 {period} 的 {n} 笔费用（合计 {total} 元）入账吗？入账后预存款会自动抵扣。</translation>
    </message>
    <message>
        <source>Posting the charges…</source>
        <translation>正在入账…</translation>
    </message>
    <message>
        <source>Cancelled: nothing was posted.</source>
        <translation>已取消：没有任何费用入账。</translation>
    </message>
    <message>
        <source>Posted {n} charges for {period}, {total} in all.</source>
        <translation>已入账 {period} 的 {n} 笔费用，合计 {total} 元。</translation>
    </message>
    <message numerus="yes">
        <source>Prepaid balances paid for %n house(s), {total} in all.</source>
        <translation>
            <numerusform>预存款抵扣 %n 户 {total} 元。</numerusform>
        </translation>
    </message>
    <message>
        <source>{period} posted {at}: {n} charges, {total}</source>
        <translation>{period}，{at} 入账：{n} 笔，{total} 元</translation>
    </message>
    <message>
        <source>Runs so far:</source>
        <translation>历次计费：</translation>
    </message>
</context>
<context>
    <name>BuildingDialog</name>
    <message>
        <source>Add a building</source>
        <translation>新增楼栋</translation>
    </message>
    <message>
        <source>Building number</source>
        <translation>楼栋号</translation>
    </message>
    <message>
        <source>e.g. {example}</source>
        <translation>如 {example}</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>e.g. 3栋 (left empty: made from the number)</source>
        <translation>如 3栋(不填则按楼栋号生成)</translation>
    </message>
    <message>
        <source>Floors</source>
        <translation>层数</translation>
    </message>
</context>
<context>
    <name>CallDialog</name>
    <message>
        <source>Dunning call — {house}</source>
        <translation>电话催缴 — {house}</translation>
    </message>
    <message>
        <source>How it went</source>
        <translation>通话结果</translation>
    </message>
    <message>
        <source>Promised to pay by</source>
        <translation>承诺缴费日期</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>ChargeDialog</name>
    <message>
        <source>Charge a service or fee</source>
        <translation>收取服务费或其他费用</translation>
    </message>
    <message>
        <source>{name} (deposit, held for the house)</source>
        <translation>{name}（押金，代业主保管）</translation>
    </message>
    <message>
        <source>What</source>
        <translation>收费内容</translation>
    </message>
    <message>
        <source>How many</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Of the amount</source>
        <translation>计费基数</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>For (on the receipt)</source>
        <translation>摘要（印在收据上）</translation>
    </message>
</context>
<context>
    <name>ClassifyDialog</name>
    <message>
        <source>Classify {number}</source>
        <translation>分类 {number}</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Service contract</source>
        <translation>服务合同</translation>
    </message>
    <message>
        <source>within the contract (otherwise declined)</source>
        <translation>属于服务合同范围（否则为无效投诉）</translation>
    </message>
    <message>
        <source>Why declined</source>
        <translation>不受理原因</translation>
    </message>
</context>
<context>
    <name>CloseDialog</name>
    <message>
        <source>Close {number}</source>
        <translation>结案 {number}</translation>
    </message>
    <message>
        <source>Closing summary</source>
        <translation>处理总结</translation>
    </message>
</context>
<context>
    <name>CollectDialog</name>
    <message>
        <source>Collected: {what}</source>
        <translation>领取：{what}</translation>
    </message>
    <message>
        <source>Collected by</source>
        <translation>领取人</translation>
    </message>
</context>
<context>
    <name>ComplaintsTab</name>
    <message>
        <source>Record a complaint</source>
        <translation>投诉登记</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>By</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>House</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>业主</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Complained of</source>
        <translation>被投诉人/部门</translation>
    </message>
    <message>
        <source>When it happened</source>
        <translation>发生时间</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>事情经过</translation>
    </message>
    <message>
        <source>The owner asks for</source>
        <translation>业主要求</translation>
    </message>
    <message>
        <source>by</source>
        <translation>在此时间前</translation>
    </message>
    <message>
        <source>The owner&apos;s time</source>
        <translation>业主要求时限</translation>
    </message>
    <message>
        <source>Simple</source>
        <translation>简单投诉</translation>
    </message>
    <message>
        <source>answer within 2 hours</source>
        <translation>2 小时内答复</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>登记</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>What</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Owned by</source>
        <translation>首问责任人</translation>
    </message>
    <message>
        <source>{n} open, {late} past a deadline.</source>
        <translation>未结 {n} 单，超时 {late} 单。</translation>
    </message>
    <message>
        <source>met</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>met late</source>
        <translation>超时完成</translation>
    </message>
    <message>
        <source>{complaint}: {deadlines}</source>
        <translation>{complaint}：{deadlines}</translation>
    </message>
    <message>
        <source>Next deadline</source>
        <translation>下一时限</translation>
    </message>
    <message>
        <source>a person or team</source>
        <translation>某员工、某部门</translation>
    </message>
    <message>
        <source>Who is complained of: a person, a department, a neighbour …</source>
        <translation>被投诉的对象：某员工、某部门、邻居……</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>Classify…</source>
        <translation>分类…</translation>
    </message>
    <message>
        <source>Answer…</source>
        <translation>答复…</translation>
    </message>
    <message>
        <source>Report up…</source>
        <translation>上报…</translation>
    </message>
    <message>
        <source>Handled…</source>
        <translation>处理…</translation>
    </message>
    <message>
        <source>Follow up…</source>
        <translation>跟进…</translation>
    </message>
    <message>
        <source>Close…</source>
        <translation>结案…</translation>
    </message>
    <message>
        <source>Today&apos;s review…</source>
        <translation>当日复核…</translation>
    </message>
    <message>
        <source>Week summary…</source>
        <translation>周汇总…</translation>
    </message>
    <message>
        <source>History…</source>
        <translation>历史记录…</translation>
    </message>
    <message>
        <source>Open complaints</source>
        <translation>未结投诉</translation>
    </message>
    <message>
        <source>No such house</source>
        <translation>没有此房屋</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>{number} recorded. Tell the owner: a first answer by {due}.</source>
        <translation>{number} 已登记。请告知业主：{due} 前首次答复。</translation>
    </message>
    <message>
        <source>{number} recorded.</source>
        <translation>{number} 已登记。</translation>
    </message>
    <message>
        <source>Choose a complaint in the list first</source>
        <translation>请先在列表中选择投诉</translation>
    </message>
    <message>
        <source>{number}: {step}, {time}.</source>
        <translation>{number}：{step}，{time}。</translation>
    </message>
    <message>
        <source>Next: {what} by {due}.</source>
        <translation>下一步：{what}，期限 {due}。</translation>
    </message>
    <message>
        <source>Clear answer</source>
        <translation>明确答复</translation>
    </message>
    <message>
        <source>The clear answer the owner was given ({number}):</source>
        <translation>给业主的明确答复（{number}）：</translation>
    </message>
    <message>
        <source>First answer</source>
        <translation>首次答复</translation>
    </message>
    <message>
        <source>What was the owner told ({number})?</source>
        <translation>答复业主的内容（{number}）：</translation>
    </message>
    <message>
        <source>Report up</source>
        <translation>上报</translation>
    </message>
    <message>
        <source>Reported to whom ({number})? The complaint stays yours.</source>
        <translation>上报给谁（{number}）？投诉仍由您负责。</translation>
    </message>
    <message>
        <source>Follow up</source>
        <translation>跟进</translation>
    </message>
    <message>
        <source>What was the owner told of the delay ({number})?</source>
        <translation>告知业主的延期情况（{number}）：</translation>
    </message>
    <message>
        <source>Handled</source>
        <translation>处理</translation>
    </message>
    <message>
        <source>What was done ({number})?</source>
        <translation>处理情况（{number}）：</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>结案</translation>
    </message>
    <message>
        <source>The result, as the owner was told ({number}):</source>
        <translation>处理结果（已告知业主，{number}）：</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>总结</translation>
    </message>
    <message>
        <source>What does the office learn from {number}? (may stay empty)</source>
        <translation>{number} 的经验总结（可不填）：</translation>
    </message>
    <message>
        <source>No such house: {text}</source>
        <translation>没有这个房号：{text}</translation>
    </message>
    <message>
        <source>Recorded</source>
        <translation>登记时间</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>结案时间</translation>
    </message>
    <message>
        <source>Complaints of {house}</source>
        <translation>{house} 的投诉</translation>
    </message>
    <message>
        <source>All complaints</source>
        <translation>全部投诉</translation>
    </message>
    <message>
        <source>The newest first; type a house in the intake to see its own.</source>
        <translation>最新的在前；在登记栏输入房号，只看该户的。</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>已结案</translation>
    </message>
    <message>
        <source>Complaints to review, {day}</source>
        <translation>投诉当日复核 {day}</translation>
    </message>
    <message>
        <source>{n} to review</source>
        <translation>共 {n} 件</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>处理结果</translation>
    </message>
    <message>
        <source>{kinds}; from earlier weeks {carried}; closed {closed}, open at the week&apos;s end {open}, declined {declined}, deadlines missed {late}</source>
        <translation>{kinds}；往周转入 {carried}；已结 {closed}，周末未结 {open}，不予受理 {declined}，超时 {late}</translation>
    </message>
    <message>
        <source>Complaints, week of {day}</source>
        <translation>投诉周汇总（{day} 起）</translation>
    </message>
</context>
<context>
    <name>CompleteDialog</name>
    <message>
        <source>{number} done</source>
        <translation>{number} 完工登记</translation>
    </message>
    <message>
        <source>Done at</source>
        <translation>完工时间</translation>
    </message>
    <message>
        <source>Leak test at</source>
        <translation>闭水试验时间</translation>
    </message>
    <message>
        <source>Materials</source>
        <translation>所用材料</translation>
    </message>
    <message>
        <source>Labour (minutes)</source>
        <translation>工时（分钟）</translation>
    </message>
    <message>
        <source>Owner&apos;s verdict</source>
        <translation>业主评价</translation>
    </message>
    <message>
        <source>Paid service</source>
        <translation>有偿服务</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>价格</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Paid services</source>
        <translation>有偿服务</translation>
    </message>
</context>
<context>
    <name>ContactDialog</name>
    <message>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Responsible person</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>CounterPage</name>
    <message>
        <source>House: 3-2-1201, an owner&apos;s name or zs (张三) — Enter</source>
        <translation>房号：3-2-1201、业主姓名或 zs(张三) — 回车</translation>
    </message>
    <message>
        <source>Find the house that pays.</source>
        <translation>请查找交费的房屋。</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>所属期间</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>收费项目</translation>
    </message>
    <message>
        <source>Charged</source>
        <translation>应收</translation>
    </message>
    <message>
        <source>Unpaid</source>
        <translation>欠款</translation>
    </message>
    <message>
        <source>Late fee</source>
        <translation>违约金</translation>
    </message>
    <message>
        <source>Paying now</source>
        <translation>本次收</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>收据号</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>付款方式</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Reprint…</source>
        <translation>补打…</translation>
    </message>
    <message>
        <source>Void…</source>
        <translation>作废…</translation>
    </message>
    <message>
        <source>Waive late fee…</source>
        <translation>减免违约金…</translation>
    </message>
    <message>
        <source>Refund…</source>
        <translation>退款…</translation>
    </message>
    <message>
        <source>Invoice number…</source>
        <translation>发票号…</translation>
    </message>
    <message>
        <source>Record the tax invoice (发票) issued for the chosen receipt</source>
        <translation>登记为所选收据开具的发票号码</translation>
    </message>
    <message>
        <source>Statement…</source>
        <translation>对账单…</translation>
    </message>
    <message>
        <source>Paid by</source>
        <translation>付款方式</translation>
    </message>
    <message>
        <source>Cash handed over</source>
        <translation>实收现金</translation>
    </message>
    <message>
        <source>Also prepay (预存)</source>
        <translation>另交预存</translation>
    </message>
    <message>
        <source>Paid by (name)</source>
        <translation>交款人</translation>
    </message>
    <message>
        <source>Charge a service or fee… (F6)</source>
        <translation>收取服务费或其他费用…(F6)</translation>
    </message>
    <message>
        <source>A paid service from the price list, the debris fee, advertising or another one-off fee, or a deposit: taken with this payment</source>
        <translation>价目表中的有偿服务、装修垃圾清运费、广告费等一次性费用，或押金：随本次收款一并收取</translation>
    </message>
    <message>
        <source>Take payment and issue receipt (F9)</source>
        <translation>收款并出收据 (F9)</translation>
    </message>
    <message>
        <source>Receipts of this house</source>
        <translation>本户收据</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>收款</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>收费</translation>
    </message>
    <message>
        <source>No house found for “{text}”</source>
        <translation>没有找到“{text}”对应的房屋</translation>
    </message>
    <message>
        <source>For renovation {number}: its deposit and debris fee, on one receipt.</source>
        <translation>装修 {number}：装修保证金与垃圾清运费，开在同一张收据上。</translation>
    </message>
    <message>
        <source>For the move-in of {house}: its first months&apos; fees, prepaid.</source>
        <translation>{house} 办理入住：预交首期物业服务等费用。</translation>
    </message>
    <message>
        <source>Prepaid {amount}</source>
        <translation>预存余额 {amount} 元</translation>
    </message>
    <message>
        <source>Deposits held {amount}</source>
        <translation>押金 {amount} 元</translation>
    </message>
    <message>
        <source>{name} (deposit)</source>
        <translation>{name}（押金）</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>本次</translation>
    </message>
    <message>
        <source>Owed today: {total} (late fees {late} included)</source>
        <translation>截至今天欠费合计 {total} 元（含违约金 {late} 元）</translation>
    </message>
    <message>
        <source>Void</source>
        <translation>作废</translation>
    </message>
    <message>
        <source>Reprinted {n}×</source>
        <translation>补打 {n} 次</translation>
    </message>
    <message>
        <source>Invoice {number}</source>
        <translation>发票 {number}</translation>
    </message>
    <message>
        <source>Check the amounts</source>
        <translation>请检查金额</translation>
    </message>
    <message>
        <source>To pay: ¥{amount}</source>
        <translation>应收：¥{amount}</translation>
    </message>
    <message>
        <source>{short} short</source>
        <translation>还差 {short} 元</translation>
    </message>
    <message>
        <source>Received {given},</source>
        <translation>收您{given}元，</translation>
    </message>
    <message>
        <source>change {change}</source>
        <translation>找回{change}元</translation>
    </message>
    <message>
        <source>No longer for a case: it moved on meanwhile. Look at the lines before taking the payment.</source>
        <translation>已不再对应原办理事项：该事项已在别处办理。收款前请核对各行。</translation>
    </message>
    <message>
        <source>Last payment:</source>
        <translation>上一笔：</translation>
    </message>
    <message>
        <source>Receipt {number}</source>
        <translation>收据 {number}</translation>
    </message>
    <message>
        <source>Choose a receipt in the list first</source>
        <translation>请先在列表中选中一张收据</translation>
    </message>
    <message>
        <source>Receipt {number} is already void</source>
        <translation>收据 {number} 已经作废</translation>
    </message>
    <message>
        <source>Void receipt {number}</source>
        <translation>作废收据 {number}</translation>
    </message>
    <message>
        <source>Receipt {number} of {date}, {amount}, will be marked void (作废) and what it paid becomes owed again.</source>
        <translation>{date} 的收据 {number}（{amount} 元）将标为作废，所收的费用重新变为欠费。</translation>
    </message>
    <message>
        <source>Waive late fee</source>
        <translation>减免违约金</translation>
    </message>
    <message>
        <source>Choose a line with a late fee in the list first</source>
        <translation>请先在欠费列表中选中有违约金的一行</translation>
    </message>
    <message>
        <source>The late fee of {item} {period} is {late} today.</source>
        <translation>{item} {period} 到今天的违约金为 {late} 元。</translation>
    </message>
    <message>
        <source>Waive</source>
        <translation>减免金额</translation>
    </message>
    <message>
        <source>Find the house first</source>
        <translation>请先查找房屋</translation>
    </message>
    <message>
        <source>Statement</source>
        <translation>对账单</translation>
    </message>
    <message>
        <source>Brought forward</source>
        <translation>期初结余</translation>
    </message>
    <message>
        <source>Statement of {house}</source>
        <translation>{house} 对账单</translation>
    </message>
    <message>
        <source>What</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>已收</translation>
    </message>
    <message>
        <source>Owed</source>
        <translation>欠款</translation>
    </message>
    <message>
        <source>Prepaid</source>
        <translation>预存余额</translation>
    </message>
    <message>
        <source>{start} to {end}; owed at the end {owed}</source>
        <translation>{start} 至 {end}；期末欠款 {owed} 元</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <source>This house holds no deposit or prepaid money.</source>
        <translation>该户没有押金或预存款。</translation>
    </message>
    <message>
        <source>Deposit</source>
        <translation>押金</translation>
    </message>
    <message>
        <source>Money the office holds for {house} is paid back.</source>
        <translation>退还物业为 {house} 代存的款项。</translation>
    </message>
    <message>
        <source>Paid back by</source>
        <translation>退款方式</translation>
    </message>
    <message>
        <source>Receipt {first} goes on {n} numbered forms, {first} – {last}: have them in the printer.</source>
        <translation>收据 {first} 需占用 {n} 张已印号码的表单（{first} – {last}），请确认打印机中已装好。</translation>
    </message>
    <message>
        <source>Total; balance at the end</source>
        <translation>合计；期末余额</translation>
    </message>
</context>
<context>
    <name>Crash</name>
    <message>
        <source>Something went wrong</source>
        <translation>出错了</translation>
    </message>
    <message>
        <source>EstateDesk met an unexpected problem. What you saved is safe; the last action may not have been completed, so please check it.</source>
        <translation>物业服务台遇到一个意外问题。已保存的数据是安全的；刚才的操作可能没有完成，请核对一下。</translation>
    </message>
    <message>
        <source>The details were written to {log}. Please tell your administrator.</source>
        <translation>详细信息已写入 {log},请告知系统管理员。</translation>
    </message>
</context>
<context>
    <name>DayClosePage</name>
    <message>
        <source>What</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Cash counted in the drawer</source>
        <translation>钱箱清点现金</translation>
    </message>
    <message>
        <source>Note (over or short)</source>
        <translation>说明（长款或短款）</translation>
    </message>
    <message>
        <source>Close the day</source>
        <translation>日结</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Reopen…</source>
        <translation>重新打开…</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation>收费员</translation>
    </message>
    <message>
        <source>Spoiled form…</source>
        <translation>空白收据作废…</translation>
    </message>
    <message>
        <source>Record the next blank form as spoiled (jammed, torn), so its number is accounted for</source>
        <translation>将下一张空白收据登记为作废（卡纸、撕坏），使其号码有据可查</translation>
    </message>
    <message>
        <source>Next number…</source>
        <translation>对齐号码…</translation>
    </message>
    <message>
        <source>Match the numbering to a new pre-printed receipt book (a supervisor)</source>
        <translation>使号码与新的预印收据本对齐（需主管）</translation>
    </message>
    <message>
        <source>, </source>
        <comment>between runs of receipt numbers</comment>
        <translation>、</translation>
    </message>
    <message>
        <source>Receipts issued: {n}</source>
        <translation>开出收据 {n} 张</translation>
    </message>
    <message>
        <source>By {method}</source>
        <translation>{method}</translation>
    </message>
    <message>
        <source>Item: {item}</source>
        <translation>项目：{item}</translation>
    </message>
    <message>
        <source>Total taken</source>
        <translation>实收合计</translation>
    </message>
    <message>
        <source>Cash the drawer should hold</source>
        <translation>应有现金</translation>
    </message>
    <message>
        <source>Cash counted</source>
        <translation>清点现金</translation>
    </message>
    <message>
        <source>Over (+) or short (−)</source>
        <translation>长款(+)或短款(−)</translation>
    </message>
    <message>
        <source>Voided {number} ({reason}), {amount}: already left out of the totals</source>
        <translation>作废 {number}（{reason}），{amount}：已不计入合计</translation>
    </message>
    <message>
        <source>Refund {number}, {amount} paid back: already left out of the totals</source>
        <translation>退款 {number}，退还 {amount}：已不计入合计</translation>
    </message>
    <message>
        <source>Missing {numbers}: {reason}</source>
        <translation>缺号 {numbers}：{reason}</translation>
    </message>
    <message>
        <source>Of it, held for the houses (deposits, prepayments)</source>
        <translation>其中代管款项（押金、预存）</translation>
    </message>
    <message>
        <source>Income</source>
        <translation>收入合计</translation>
    </message>
    <message>
        <source>Day close</source>
        <translation>日结</translation>
    </message>
    <message>
        <source>Closed at {time}. {note}</source>
        <translation>已于 {time} 日结。{note}</translation>
    </message>
    <message>
        <source>Reopened by a supervisor; close it again when done.</source>
        <translation>主管已重新打开，办完后请再次日结。</translation>
    </message>
    <message>
        <source>Open.</source>
        <translation>未日结。</translation>
    </message>
    <message>
        <source>{amount} over</source>
        <translation>长款 {amount}</translation>
    </message>
    <message>
        <source>{amount} short</source>
        <translation>短款 {amount}</translation>
    </message>
    <message>
        <source>None: the drawer matches the books</source>
        <translation>无差额：钱箱与账面相符</translation>
    </message>
    <message>
        <source>That is {amount} more than the books.</source>
        <translation>比账面多 {amount} 元。</translation>
    </message>
    <message>
        <source>That is {amount} less than the books.</source>
        <translation>比账面少 {amount} 元。</translation>
    </message>
    <message>
        <source>That matches the books.</source>
        <translation>与账面相符。</translation>
    </message>
    <message>
        <source>Check the amount</source>
        <translation>请检查金额</translation>
    </message>
    <message>
        <source>Receipt series {code}: the next number is {next}.</source>
        <translation>收据号段 {code}：下一号为 {next}。</translation>
    </message>
    <message>
        <source>Last spoiled forms: {list}.</source>
        <translation>最近作废的空白收据：{list}。</translation>
    </message>
    <message>
        <source>Every number is accounted for.</source>
        <translation>所有号码均有着落。</translation>
    </message>
    <message>
        <source>Numbers not accounted for: {list}</source>
        <translation>下列号码没有着落：{list}</translation>
    </message>
    <message>
        <source>Missing, lost with a restore: {list}.</source>
        <translation>缺号（随恢复丢失）：{list}。</translation>
    </message>
    <message>
        <source>lost with the restore of the backup of {made} ({backup}) on {at} by {who}</source>
        <translation>随{who}于 {at} 恢复 {made} 的备份（{backup}）丢失</translation>
    </message>
    <message>
        <source>Reopen the day</source>
        <translation>重新打开</translation>
    </message>
    <message>
        <source>{name}&apos;s day {date} will be open for changes again.</source>
        <translation>{name} 的 {date} 将重新打开，可以再作更改。</translation>
    </message>
    <message>
        <source>Day close {date} — {name}</source>
        <translation>日结 {date} — {name}</translation>
    </message>
    <message>
        <source>Continuation form {number} of receipt {receipt}</source>
        <translation>收据 {receipt} 的续页 {number}</translation>
    </message>
    <message>
        <source>Reprint form {number} of receipt {receipt}</source>
        <translation>收据 {receipt} 的补打表单 {number}</translation>
    </message>
    <message>
        <source>Spoiled form {number} ({reason})</source>
        <translation>作废空白表单 {number}（{reason}）</translation>
    </message>
    <message>
        <source>Cash counted in the drawer: {counted}. {difference}
Close the day {date}? Only a supervisor can reopen it.</source>
        <translation>钱箱实点 {counted} 元。{difference}
确定结束 {date} 的日结吗？日结后只有主管可以重新打开。</translation>
    </message>
    <message>
        <source>Cashier&apos;s signature</source>
        <translation>收款员</translation>
    </message>
    <message>
        <source>Checked by / supervisor</source>
        <translation>复核/主管</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
</context>
<context>
    <name>DeskPage</name>
    <message>
        <source>Parcels</source>
        <translation>包裹</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>钥匙</translation>
    </message>
    <message>
        <source>Lent items</source>
        <translation>物品借用</translation>
    </message>
    <message>
        <source>Handbook</source>
        <translation>应知</translation>
    </message>
    <message numerus="yes">
        <source>%n key(s) overdue: {names}</source>
        <translation>
            <numerusform>逾期未还钥匙 %n 把：{names}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n lent item(s) overdue: {names}</source>
        <translation>
            <numerusform>逾期未还物品 %n 件：{names}</numerusform>
        </translation>
    </message>
    <message>
        <source>Keys not counted since {day}</source>
        <translation>钥匙自 {day} 起未盘点</translation>
    </message>
    <message>
        <source>Keys never counted</source>
        <translation>钥匙从未盘点</translation>
    </message>
</context>
<context>
    <name>DispatchDialog</name>
    <message>
        <source>Dispatch {number}</source>
        <translation>派工 {number}</translation>
    </message>
    <message>
        <source>Technician</source>
        <translation>维修人员</translation>
    </message>
    <message>
        <source>Promised to the owner by</source>
        <translation>约定业主时间</translation>
    </message>
    <message>
        <source>Dispatch and print the work order</source>
        <translation>派工并打印派工单</translation>
    </message>
</context>
<context>
    <name>DocumentDialog</name>
    <message>
        <source>Received</source>
        <translation>已收</translation>
    </message>
    <message>
        <source>Date received</source>
        <translation>收到日期</translation>
    </message>
    <message>
        <source>(no scan)</source>
        <translation>(无扫描件)</translation>
    </message>
    <message>
        <source>Choose scan…</source>
        <translation>选择扫描件…</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>扫描件</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Choose the scan</source>
        <translation>选择扫描件</translation>
    </message>
    <message>
        <source>Scans (*.pdf *.jpg *.jpeg *.png *.tif *.tiff)</source>
        <translation>扫描件 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff)</translation>
    </message>
</context>
<context>
    <name>DoneDialog</name>
    <message>
        <source>Message {number} done</source>
        <translation>留言 {number} 已办</translation>
    </message>
    <message>
        <source>What came of it</source>
        <translation>办理结果</translation>
    </message>
    <message>
        <source>passed on to the manager, called back…</source>
        <translation>已转告经理、已回电……</translation>
    </message>
</context>
<context>
    <name>DueTab</name>
    <message>
        <source>Due</source>
        <translation>时限</translation>
    </message>
    <message>
        <source>What</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>About</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>Due by the end of today</source>
        <translation>今日到期</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>{n} due today, {late} overdue.</source>
        <translation>今日到期 {n} 项，已超时 {late} 项。</translation>
    </message>
</context>
<context>
    <name>EndFeeDialog</name>
    <message>
        <source>End {name}</source>
        <translation>停止收取{name}</translation>
    </message>
    <message>
        <source>Last day billed</source>
        <translation>最后计费日</translation>
    </message>
</context>
<context>
    <name>Exchange</name>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Saved: {file}</source>
        <translation>已保存：{file}</translation>
    </message>
    <message>
        <source>Export the list</source>
        <translation>导出列表</translation>
    </message>
    <message>
        <source>There is no list with rows on this page.</source>
        <translation>本页没有可导出的列表。</translation>
    </message>
    <message>
        <source>Exported {at}, {n} rows</source>
        <translation>导出于 {at}，共 {n} 行</translation>
    </message>
    <message>
        <source>Month (YYYY-MM)</source>
        <translation>月份（年-月）</translation>
    </message>
</context>
<context>
    <name>FacilitiesTab</name>
    <message>
        <source>Facilities</source>
        <translation>设施设备</translation>
    </message>
    <message>
        <source>Name, place or contractor — Enter</source>
        <translation>名称、位置或维保单位，回车查找</translation>
    </message>
    <message>
        <source>Out of order only</source>
        <translation>只看故障</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>How many</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Out of order</source>
        <translation>故障</translation>
    </message>
    <message>
        <source>Contractor</source>
        <translation>维保单位</translation>
    </message>
    <message>
        <source>Maintained</source>
        <translation>上次保养</translation>
    </message>
    <message>
        <source>Next due</source>
        <translation>下次保养</translation>
    </message>
    <message>
        <source>Good until</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>新增…</translation>
    </message>
    <message>
        <source>Change…</source>
        <translation>修改…</translation>
    </message>
    <message>
        <source>Out of order…</source>
        <translation>报故障…</translation>
    </message>
    <message>
        <source>Fixed</source>
        <translation>已修复</translation>
    </message>
    <message>
        <source>Maintained today</source>
        <translation>今日已保养</translation>
    </message>
    <message>
        <source>Intact rate {rate}% ({intact} of {units} units), target {target}%.</source>
        <translation>完好率 {rate}%（{units} 台/件中 {intact} 完好），目标 {target}%。</translation>
    </message>
    <message>
        <source>Choose the facility out of order</source>
        <translation>请先选择出故障的设施</translation>
    </message>
    <message>
        <source>Repair {number} raised.</source>
        <translation>已生成维修单 {number}。</translation>
    </message>
    <message>
        <source>Choose the facility fixed</source>
        <translation>请先选择已修复的设施</translation>
    </message>
    <message>
        <source>Choose the facility maintained</source>
        <translation>请先选择已保养的设施</translation>
    </message>
</context>
<context>
    <name>FacilityDialog</name>
    <message>
        <source>Facility</source>
        <translation>设施设备</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>How many</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Contractor</source>
        <translation>维保单位</translation>
    </message>
    <message>
        <source>Contractor&apos;s phone</source>
        <translation>维保电话</translation>
    </message>
    <message>
        <source>Maintained every (days; 0: not on a schedule)</source>
        <translation>保养周期（天；0 为不定期）</translation>
    </message>
    <message>
        <source>Last maintained</source>
        <translation>上次保养</translation>
    </message>
    <message>
        <source>Good until</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>FaultDialog</name>
    <message>
        <source>{name}: out of order</source>
        <translation>{name}：报故障</translation>
    </message>
    <message>
        <source>What is wrong</source>
        <translation>故障情况</translation>
    </message>
    <message>
        <source>Units out of order</source>
        <translation>故障数量</translation>
    </message>
    <message>
        <source>Repair</source>
        <translation>报修</translation>
    </message>
    <message>
        <source>raise a repair order</source>
        <translation>生成维修单</translation>
    </message>
    <message>
        <source>Kind of repair</source>
        <translation>报修类别</translation>
    </message>
</context>
<context>
    <name>FeeItemDialog</name>
    <message>
        <source>Fee item {name}</source>
        <translation>收费项目：{name}</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Unit price (yuan, up to 4 decimals)</source>
        <translation>单价（元，最多 4 位小数）</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Rounding</source>
        <translation>尾数处理</translation>
    </message>
    <message>
        <source>Tiers (metered)</source>
        <translation>阶梯（抄表项目）</translation>
    </message>
    <message>
        <source>e.g. {example}</source>
        <translation>如 {example}</translation>
    </message>
    <message>
        <source>Tiers count</source>
        <translation>阶梯累计</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>启用</translation>
    </message>
</context>
<context>
    <name>FeesPage</name>
    <message>
        <source>{price}/{unit}</source>
        <translation>{price}/{unit}</translation>
    </message>
    <message>
        <source>{share}% of {base}</source>
        <translation>{base}的{share}%</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>收费项目</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>Tiers</source>
        <translation>阶梯</translation>
    </message>
    <message>
        <source>Rounding</source>
        <translation>尾数处理</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Change…</source>
        <translation>修改…</translation>
    </message>
    <message>
        <source>Bill to houses…</source>
        <translation>批量开通…</translation>
    </message>
    <message>
        <source>Paid service</source>
        <translation>有偿服务</translation>
    </message>
    <message>
        <source>Fee item</source>
        <translation>收费项目</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>价格</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Add a service…</source>
        <translation>新增服务…</translation>
    </message>
    <message>
        <source>Fee items</source>
        <translation>收费项目</translation>
    </message>
    <message>
        <source>Price list of paid services (charged at the counter with F6)</source>
        <translation>有偿服务价目表（在收费台按 F6 收取）</translation>
    </message>
    <message>
        <source>Choose a service in the list first</source>
        <translation>请先在列表中选择一项服务</translation>
    </message>
    <message>
        <source>Choose an item in the list first</source>
        <translation>请先在列表中选中一个项目</translation>
    </message>
    <message>
        <source>{name} is not billed monthly: it is charged when it happens.</source>
        <translation>{name}不按月收取，发生时另行收费。</translation>
    </message>
    <message numerus="yes">
        <source>%n house(s) now pay {name}.</source>
        <translation>
            <numerusform>已为 %n 户开通{name}。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FirstAdminDialog</name>
    <message>
        <source>Set up EstateDesk</source>
        <translation>初始设置</translation>
    </message>
    <message>
        <source>This office database is new. Enter the administrator&apos;s user name, full name and password; the administrator then sets the office up and adds the other users.</source>
        <translation>这是一个新的数据库。请输入管理员的用户名、姓名和密码，之后由管理员设置服务中心并添加其他用户。</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Password again</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <source>Restore from a backup…</source>
        <translation>从备份恢复…</translation>
    </message>
    <message>
        <source>The two passwords differ</source>
        <translation>两次输入的密码不一致</translation>
    </message>
</context>
<context>
    <name>FirstStepsBox</name>
    <message>
        <source>First steps</source>
        <translation>开始使用</translation>
    </message>
    <message>
        <source>Estate profile…</source>
        <translation>小区概况…</translation>
    </message>
    <message>
        <source>Add a building…</source>
        <translation>新增楼栋…</translation>
    </message>
    <message>
        <source>Import from Excel…</source>
        <translation>从 Excel 导入…</translation>
    </message>
    <message>
        <source>Add a user…</source>
        <translation>新增用户…</translation>
    </message>
    <message>
        <source>Fee items…</source>
        <translation>收费项目…</translation>
    </message>
    <message>
        <source>Receipt numbers…</source>
        <translation>收据号码…</translation>
    </message>
    <message>
        <source>This office is new: these steps set it up. Each is ticked off by itself once it is done.</source>
        <translation>这是一个新的服务中心：完成以下几步即可开始使用，每完成一步会自动打勾。</translation>
    </message>
</context>
<context>
    <name>FloorPlan</name>
    <message>
        <source>Unit {unit} · {place}</source>
        <translation>{unit}单元 · {place}</translation>
    </message>
    <message>
        <source>{n}F</source>
        <translation>{n}层</translation>
    </message>
    <message numerus="yes">
        <source>{house} {owners}: %n month(s), {owed} owed</source>
        <translation>
            <numerusform>{house} {owners}：欠 %n 个月，共 {owed} 元</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FormDesigner</name>
    <message>
        <source>e.g. 三联收据 241×93.1</source>
        <translation>例如：三联收据 241×93.1</translation>
    </message>
    <message>
        <source>Continuous form</source>
        <translation>连续纸</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>左对齐</translation>
    </message>
    <message>
        <source>Centre</source>
        <translation>居中</translation>
    </message>
    <message>
        <source>Right</source>
        <translation>右对齐</translation>
    </message>
    <message>
        <source>Left (mm)</source>
        <translation>左边距(毫米)</translation>
    </message>
    <message>
        <source>Top (mm)</source>
        <translation>上边距(毫米)</translation>
    </message>
    <message>
        <source>Width (mm)</source>
        <translation>宽(毫米)</translation>
    </message>
    <message>
        <source>Height (mm)</source>
        <translation>高(毫米)</translation>
    </message>
    <message>
        <source>Type size</source>
        <translation>字号</translation>
    </message>
    <message>
        <source>Smallest size</source>
        <translation>最小字号</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>行数</translation>
    </message>
    <message>
        <source>Align</source>
        <translation>对齐</translation>
    </message>
    <message>
        <source>Rows per form</source>
        <translation>每张行数</translation>
    </message>
    <message>
        <source>Row height (mm)</source>
        <translation>行高(毫米)</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>wide</source>
        <translation>宽</translation>
    </message>
    <message>
        <source>Column from (mm)</source>
        <translation>列起点(毫米)</translation>
    </message>
    <message>
        <source>Add words…</source>
        <translation>添加文字…</translation>
    </message>
    <message>
        <source>Words that print on plain paper only, such as a heading the stock lacks</source>
        <translation>只在白纸上打印的文字，例如收据本上没有的标题</translation>
    </message>
    <message>
        <source>Picture of the stock…</source>
        <translation>单据扫描图…</translation>
    </message>
    <message>
        <source>Preview values only (套打)</source>
        <translation>预览只打数据(套打)</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Test print on a grid…</source>
        <translation>打印网格测试页…</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Paper (mm)</source>
        <translation>纸张(毫米)</translation>
    </message>
    <message>
        <source>On the form (tick what prints):</source>
        <translation>打印的内容（勾选要打印的项）：</translation>
    </message>
    <message>
        <source>QR code</source>
        <translation>二维码</translation>
    </message>
    <message>
        <source>Charge lines</source>
        <translation>收费明细</translation>
    </message>
    <message>
        <source>{what}: {x} mm from the left edge, {y} mm from the top</source>
        <translation>{what}：距左边 {x} 毫米，距上边 {y} 毫米</translation>
    </message>
    <message>
        <source>The charge lines: {rows} rows of {row} mm</source>
        <translation>收费明细：{rows} 行，每行 {row} 毫米</translation>
    </message>
    <message>
        <source>Click a box on the form to place it; the arrow keys move it by 0.5 mm, Shift+arrows change its size.</source>
        <translation>点选纸上的框来摆放；方向键每次移动 0.5 毫米，Shift+方向键改变大小。</translation>
    </message>
    <message>
        <source>Move</source>
        <translation>移动</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>行数</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>Form designer — {document}</source>
        <translation>格式设计 — {document}</translation>
    </message>
    <message>
        <source>Paper</source>
        <translation>纸张</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Add words</source>
        <translation>添加文字</translation>
    </message>
    <message>
        <source>Words:</source>
        <translation>文字：</translation>
    </message>
    <message>
        <source>Picture of the stock</source>
        <translation>单据扫描图</translation>
    </message>
    <message>
        <source>Pictures (*.png *.jpg *.jpeg *.bmp *.tif *.tiff)</source>
        <translation>图片 (*.png *.jpg *.jpeg *.bmp *.tif *.tiff)</translation>
    </message>
    <message>
        <source>The file is not a picture this program can read. Scan the stock as PNG or JPEG.</source>
        <translation>这个文件不是本程序能读取的图片。请把收据扫描成 PNG 或 JPEG。</translation>
    </message>
    <message>
        <source>Picture</source>
        <translation>扫描图</translation>
    </message>
    <message>
        <source>Form {name}</source>
        <translation>格式 {name}</translation>
    </message>
    <message>
        <source>Test print {name}</source>
        <translation>测试页 {name}</translation>
    </message>
    <message>
        <source>Save form</source>
        <translation>保存格式</translation>
    </message>
    <message>
        <source>The office has a form named {name} already. Replace it with this one?</source>
        <translation>已有名为 {name} 的格式。用这个替换它吗？</translation>
    </message>
    <message>
        <source>Save the changes to the form?</source>
        <translation>保存对格式的修改吗？</translation>
    </message>
</context>
<context>
    <name>GuideWindow</name>
    <message>
        <source>Printable version (PDF)…</source>
        <translation>打印版(PDF)…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Clerk&apos;s guide — {chapter}</source>
        <translation>操作手册 — {chapter}</translation>
    </message>
    <message>
        <source>Making the printable guide…</source>
        <translation>正在生成打印版操作手册…</translation>
    </message>
    <message>
        <source>Printable version (PDF)</source>
        <translation>打印版(PDF)</translation>
    </message>
    <message>
        <source>The printable guide could not be made: {reason}</source>
        <translation>无法生成打印版操作手册：{reason}</translation>
    </message>
    <message>
        <source>The guide is saved as {file}, but no program on this computer opens PDF files.</source>
        <translation>操作手册已保存为 {file}，但本机没有可以打开 PDF 文件的程序。</translation>
    </message>
</context>
<context>
    <name>HandOverDialog</name>
    <message>
        <source>Hand over the shift</source>
        <translation>交班</translation>
    </message>
    <message>
        <source>{n} open items go over to the next clerk, {late} of them past their time.</source>
        <translation>{n} 项未了事项交给下一班，其中 {late} 项已超时。</translation>
    </message>
    <message>
        <source>Handover note</source>
        <translation>交班说明</translation>
    </message>
    <message>
        <source>Cash in the box (yuan)</source>
        <translation>钱箱现金（元）</translation>
    </message>
    <message>
        <source>Handed to</source>
        <translation>交给</translation>
    </message>
    <message>
        <source>whoever comes next</source>
        <translation>下一班接班人</translation>
    </message>
    <message>
        <source>My password</source>
        <translation>我的密码</translation>
    </message>
    <message>
        <source>Hand over</source>
        <translation>交班</translation>
    </message>
</context>
<context>
    <name>HandbookTab</name>
    <message>
        <source>Search: a name, a person, a phone or a kind (开锁, 自来水 …)</source>
        <translation>搜索：名称、负责人、电话或类别（开锁、自来水……）</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Responsible person</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>服务项目</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>价格</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>通讯录</translation>
    </message>
    <message numerus="yes">
        <source>%n contact(s)</source>
        <translation>
            <numerusform>共 %n 条</numerusform>
        </translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>新增…</translation>
    </message>
    <message>
        <source>Change…</source>
        <translation>修改…</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Paid services (有偿服务价目表)</source>
        <translation>有偿服务价目表</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Estate profile (小区概况)</source>
        <translation>小区概况</translation>
    </message>
    <message>
        <source>Kept in Settings</source>
        <translation>在“设置”中维护</translation>
    </message>
    <message>
        <source>Handbook</source>
        <translation>应知</translation>
    </message>
    <message>
        <source>Choose a line in the list first</source>
        <translation>请先在列表中选择一行</translation>
    </message>
    <message>
        <source>Contacts directory</source>
        <translation>通讯录</translation>
    </message>
    <message>
        <source>Paid services price list</source>
        <translation>有偿服务价目表</translation>
    </message>
    <message>
        <source>Ask at the counter or call {phone}</source>
        <translation>请到服务台咨询或致电 {phone}</translation>
    </message>
    <message>
        <source>Estate profile</source>
        <translation>小区概况</translation>
    </message>
</context>
<context>
    <name>HandoversTab</name>
    <message>
        <source>Open item</source>
        <translation>未了事项</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>About</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Shift handovers</source>
        <translation>交接班记录</translation>
    </message>
    <message>
        <source>The handovers, newest first</source>
        <translation>交接班记录，最新的在前</translation>
    </message>
    <message>
        <source>Handed over</source>
        <translation>交班时间</translation>
    </message>
    <message>
        <source>By</source>
        <translation>交班人</translation>
    </message>
    <message>
        <source>To</source>
        <translation>接班人</translation>
    </message>
    <message>
        <source>Taken over</source>
        <translation>接班确认</translation>
    </message>
    <message>
        <source>not yet</source>
        <translation>未确认</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Hand over the shift…</source>
        <translation>交班…</translation>
    </message>
    <message>
        <source>Take over…</source>
        <translation>接班…</translation>
    </message>
    <message>
        <source>Print the handover sheet…</source>
        <translation>打印交接班记录…</translation>
    </message>
    <message>
        <source>Choose the handover to take over</source>
        <translation>请先选择要接的班</translation>
    </message>
    <message>
        <source>Choose a handover first</source>
        <translation>请先选择一条交接班记录</translation>
    </message>
    <message>
        <source>Handover sheet</source>
        <translation>交接班记录</translation>
    </message>
</context>
<context>
    <name>HouseArrears</name>
    <message>
        <source>Choose a house in the list</source>
        <translation>请在列表中选择房屋</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>收费项目</translation>
    </message>
    <message>
        <source>Unpaid</source>
        <translation>欠款</translation>
    </message>
    <message>
        <source>Late fee to date</source>
        <translation>违约金（计至今日）</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Promised by</source>
        <translation>承诺日期</translation>
    </message>
    <message>
        <source>Owed then</source>
        <translation>当时欠费</translation>
    </message>
    <message>
        <source>By</source>
        <translation>经办人</translation>
    </message>
    <message>
        <source>Log a call…</source>
        <translation>登记电话…</translation>
    </message>
    <message>
        <source>Payment notice…</source>
        <translation>缴款通知…</translation>
    </message>
    <message>
        <source>Dunning notice…</source>
        <translation>催缴通知书…</translation>
    </message>
    <message>
        <source>To the counter</source>
        <translation>去收费台</translation>
    </message>
    <message>
        <source>Dunning so far</source>
        <translation>催缴记录</translation>
    </message>
    <message>
        <source>(not yet due)</source>
        <translation>（未到期）</translation>
    </message>
    <message>
        <source>Printed</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>Saved as PDF</source>
        <translation>存为 PDF</translation>
    </message>
    <message>
        <source>{house}  {owners}: {total} owed, late fee to date included</source>
        <translation>{house}  {owners}：共欠 {total} 元（含计至今日的违约金）</translation>
    </message>
    <message>
        <source>Next: {step}</source>
        <translation>下一步：{step}</translation>
    </message>
</context>
<context>
    <name>HouseDetail</name>
    <message>
        <source>Choose a house from the list, or search for it above.</source>
        <translation>请从列表中选择房屋，或在上方搜索。</translation>
    </message>
    <message>
        <source>Change house…</source>
        <translation>修改房屋…</translation>
    </message>
    <message>
        <source>Print archive card…</source>
        <translation>打印档案卡…</translation>
    </message>
    <message>
        <source>Move-in…</source>
        <translation>办理入住…</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>身份</translation>
    </message>
    <message>
        <source>Primary owner</source>
        <translation>主业主</translation>
    </message>
    <message>
        <source>Co-owner</source>
        <translation>共有人</translation>
    </message>
    <message>
        <source>Former owner</source>
        <translation>原业主</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>起始</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>终止</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Relation</source>
        <translation>关系</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>年龄</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>人口类别</translation>
    </message>
    <message>
        <source>Moved in</source>
        <translation>入住日期</translation>
    </message>
    <message>
        <source>Moved out</source>
        <translation>迁出日期</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Paper</source>
        <translation>资料</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>是否收到</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>扫描件</translation>
    </message>
    <message>
        <source>Owner and spouse, family size, opinions of the service, repairs in the home, renovation changes, personal service requests …</source>
        <translation>业主及配偶、家庭人口、对服务的意见、户内维修情况、装修改动、个性化服务需求……</translation>
    </message>
    <message>
        <source>Save notes</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Owner card…</source>
        <translation>业主详情…</translation>
    </message>
    <message>
        <source>Add owner…</source>
        <translation>新增业主…</translation>
    </message>
    <message>
        <source>Add existing owner…</source>
        <translation>关联已有业主…</translation>
    </message>
    <message>
        <source>Change…</source>
        <translation>修改…</translation>
    </message>
    <message>
        <source>End ownership</source>
        <translation>解除产权</translation>
    </message>
    <message>
        <source>House sold…</source>
        <translation>过户…</translation>
    </message>
    <message>
        <source>Show ID number</source>
        <translation>查看证件号</translation>
    </message>
    <message>
        <source>Show phone</source>
        <translation>查看电话</translation>
    </message>
    <message>
        <source>Owners</source>
        <translation>业主</translation>
    </message>
    <message>
        <source>Add resident…</source>
        <translation>新增住户…</translation>
    </message>
    <message>
        <source>Move out</source>
        <translation>迁出</translation>
    </message>
    <message>
        <source>Residents</source>
        <translation>住户</translation>
    </message>
    <message>
        <source>Mark received…</source>
        <translation>登记已收…</translation>
    </message>
    <message>
        <source>Mark missing</source>
        <translation>标为缺失</translation>
    </message>
    <message>
        <source>Open scan</source>
        <translation>查看扫描件</translation>
    </message>
    <message>
        <source>Papers</source>
        <translation>档案资料</translation>
    </message>
    <message>
        <source>Household notes</source>
        <translation>业主熟知</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>收费项目</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>Add fee…</source>
        <translation>开通收费…</translation>
    </message>
    <message>
        <source>End fee…</source>
        <translation>停止收费…</translation>
    </message>
    <message>
        <source>Fees</source>
        <translation>收费</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>What</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>About</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>档案</translation>
    </message>
    <message>
        <source>Save the notes you typed for {label}?</source>
        <translation>保存刚才为 {label} 填写的业主熟知吗？</translation>
    </message>
    <message>
        <source>{label}  ({building} {unit} {number})</source>
        <translation>{label}  ({building}{unit}{number}室)</translation>
    </message>
    <message>
        <source>Area {area} m²</source>
        <translation>建筑面积 {area} m²</translation>
    </message>
    <message>
        <source>Special needs: {what}</source>
        <translation>特殊关注：{what}</translation>
    </message>
    <message>
        <source>Move-in under way: {step}</source>
        <translation>入住办理中：{step}</translation>
    </message>
    <message numerus="yes">
        <source>%n event(s), the newest first; Enter or a double click opens one.</source>
        <translation>
            <numerusform>共 %n 条，最新的在前；按回车或双击打开。</numerusform>
        </translation>
    </message>
    <message>
        <source>House</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>Building / unit</source>
        <translation>楼栋 / 单元</translation>
    </message>
    <message>
        <source>Floor area (m²)</source>
        <translation>建筑面积 (m²)</translation>
    </message>
    <message>
        <source>Use</source>
        <translation>用途</translation>
    </message>
    <message>
        <source>Property right</source>
        <translation>产权性质</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Handover date</source>
        <translation>交房日期</translation>
    </message>
    <message>
        <source>Special needs</source>
        <translation>特殊关注</translation>
    </message>
    <message>
        <source>Owner archive card — {label}</source>
        <translation>业主档案卡 — {label}</translation>
    </message>
    <message>
        <source>Printed by {name} at {time}</source>
        <translation>打印人：{name} 打印时间：{time}</translation>
    </message>
    <message>
        <source>Choose an owner first</source>
        <translation>请先选中一位业主</translation>
    </message>
    <message>
        <source>House sold</source>
        <translation>过户</translation>
    </message>
    <message>
        <source>{name} no longer owns {label}? The record stays in the archive with today&apos;s date.</source>
        <translation>{name} 不再是 {label} 的业主？记录会以今天的日期保留在档案中。</translation>
    </message>
    <message>
        <source>Choose a resident first</source>
        <translation>请先选中一位住户</translation>
    </message>
    <message>
        <source>Confidential</source>
        <translation>保密信息</translation>
    </message>
    <message>
        <source>{name}: {value}</source>
        <translation>{name}:{value}</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(无)</translation>
    </message>
    <message>
        <source>This look has been recorded in the log.</source>
        <translation>本次查看已记入操作日志。</translation>
    </message>
    <message>
        <source>{name} moved out on {date}.</source>
        <translation>{name} 已于 {date} 迁出。</translation>
    </message>
    <message>
        <source>Mark “{paper}” as missing from the archive of {label}?</source>
        <translation>将 {label} 档案中的“{paper}”标为缺失？</translation>
    </message>
    <message>
        <source>Choose a fee in the list first</source>
        <translation>请先在列表中选中一项收费</translation>
    </message>
    <message>
        <source>Saved at {time}</source>
        <translation>已于 {time} 保存</translation>
    </message>
    <message>
        <source>Choose a paper first</source>
        <translation>请先选中一项资料</translation>
    </message>
    <message numerus="yes">
        <source>%n paper(s) missing</source>
        <translation>
            <numerusform>缺 %n 份资料</numerusform>
        </translation>
    </message>
    <message>
        <source>This paper has no scan</source>
        <translation>该资料没有扫描件</translation>
    </message>
    <message>
        <source>The scan file is not in the data folder: {path}</source>
        <translation>数据文件夹中找不到扫描件：{path}</translation>
    </message>
</context>
<context>
    <name>HouseDialog</name>
    <message>
        <source>Change house {label}</source>
        <translation>修改房屋 {label}</translation>
    </message>
    <message>
        <source>Add a house</source>
        <translation>新增房屋</translation>
    </message>
    <message>
        <source>House number</source>
        <translation>房号</translation>
    </message>
    <message>
        <source>e.g. {example}</source>
        <translation>如 {example}</translation>
    </message>
    <message>
        <source>Floor area (m²)</source>
        <translation>建筑面积 (m²)</translation>
    </message>
    <message>
        <source>Use</source>
        <translation>用途</translation>
    </message>
    <message>
        <source>Property right</source>
        <translation>产权性质</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Special needs</source>
        <translation>特殊关注</translation>
    </message>
    <message>
        <source>elderly living alone, disability, infant …</source>
        <translation>独居老人、残障、婴幼儿……</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>HouseFeeDialog</name>
    <message>
        <source>Add a monthly fee</source>
        <translation>开通按月收费</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>收费项目</translation>
    </message>
    <message>
        <source>Quantity (spaces, rooms …)</source>
        <translation>数量（车位、仓库等）</translation>
    </message>
    <message>
        <source>This house&apos;s own price (empty: the item&apos;s)</source>
        <translation>本户单价（空则用项目单价）</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
</context>
<context>
    <name>HouseTableModel</name>
    <message>
        <source>House</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>Floor</source>
        <translation>楼层</translation>
    </message>
    <message>
        <source>Area (m²)</source>
        <translation>面积 (m²)</translation>
    </message>
    <message>
        <source>Use</source>
        <translation>用途</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Owners</source>
        <translation>业主</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import from Excel</source>
        <translation>从 Excel 导入</translation>
    </message>
    <message>
        <source>What</source>
        <translation>导入内容</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Needed</source>
        <translation>所需项目</translation>
    </message>
    <message>
        <source>Column of the sheet</source>
        <translation>表中的列</translation>
    </message>
    <message>
        <source>First row</source>
        <translation>第一行内容</translation>
    </message>
    <message>
        <source>Choose a file, check the matched columns, then press Check.</source>
        <translation>请选择文件，核对各列的对应关系，然后按“检查”。</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>&amp;Check</source>
        <translation>检查(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>导入(&amp;I)</translation>
    </message>
    <message>
        <source>Save the problems to Excel…</source>
        <translation>问题清单导出为 Excel…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Columns (matched by their headers; change any that is wrong)</source>
        <translation>列的对应（按表头自动匹配，如有不对请修改）</translation>
    </message>
    <message>
        <source>Reading the workbook…</source>
        <translation>正在读取工作簿…</translation>
    </message>
    <message numerus="yes">
        <source>{rows} rows read, %n problem(s): nothing has been written. Correct the workbook (or the matched columns) and check again.</source>
        <translation>
            <numerusform>读取 {rows} 行，发现 %n 处问题，未写入任何数据。请修改工作簿（或列的对应）后重新检查。</numerusform>
        </translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Sheet “{sheet}”: header on row {row}, {rows} rows under it</source>
        <translation>工作表“{sheet}”：表头在第 {row} 行，下有 {rows} 行数据</translation>
    </message>
    <message>
        <source>The workbook has changed since it was opened: its columns are matched again. Look at them, then press Check.</source>
        <translation>工作簿在打开之后有改动，已重新匹配各列。请核对后按“检查”。</translation>
    </message>
    <message>
        <source>— not imported —</source>
        <translation>— 不导入 —</translation>
    </message>
    <message>
        <source>Checking the rows…</source>
        <translation>正在检查各行…</translation>
    </message>
    <message>
        <source>Imported {rows} rows: {new}.</source>
        <translation>已导入 {rows} 行：{new}。</translation>
    </message>
    <message>
        <source>{rows} rows read, no problems. Import will add {new}.</source>
        <translation>读取 {rows} 行，没有问题。导入将新增{new}。</translation>
    </message>
    <message>
        <source>{skipped} rows are already in the archive as they are.</source>
        <translation>另有 {skipped} 行已在档案中，无需导入。</translation>
    </message>
    <message>
        <source>{houses} houses, {owners} owners</source>
        <translation>房屋 {houses} 户、业主 {owners} 人</translation>
    </message>
    <message>
        <source>{residents} residents</source>
        <translation>住户 {residents} 人</translation>
    </message>
    <message>
        <source>{arrears} arrears totalling {arrears_total}, {prepayments} prepayments totalling {prepay_total}</source>
        <translation>欠费 {arrears} 笔共 {arrears_total} 元、预存 {prepayments} 笔共 {prepay_total} 元</translation>
    </message>
    <message>
        <source>The workbook has changed since it was checked: press Check again.</source>
        <translation>工作簿在检查之后有改动，请重新按“检查”。</translation>
    </message>
    <message>
        <source>Import {new} from {file}?</source>
        <translation>从 {file} 导入{new}？</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <source>Cancelled: nothing has been written.</source>
        <translation>已取消，未写入任何数据。</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>导入问题清单</translation>
    </message>
    <message>
        <source>a workbook (.xlsx, .xls, .ods) or a .csv: the sheet with the header is read</source>
        <translation>工作簿（.xlsx、.xls、.ods）或 .csv 文件：读取带表头的工作表</translation>
    </message>
    <message>
        <source>Workbooks and CSV files (*.xlsx *.xls *.ods *.csv *.txt)</source>
        <translation>工作簿和 CSV 文件 (*.xlsx *.xls *.ods *.csv *.txt)</translation>
    </message>
    <message>
        <source>Row {row}: {note}</source>
        <translation>第 {row} 行：{note}</translation>
    </message>
    <message>
        <source>and {n} more</source>
        <translation>另有 {n} 条</translation>
    </message>
</context>
<context>
    <name>ImportReportDialog</name>
    <message>
        <source>Import readings</source>
        <translation>导入读数</translation>
    </message>
    <message>
        <source>house</source>
        <translation>房号</translation>
    </message>
    <message>
        <source>reading</source>
        <translation>读数</translation>
    </message>
    <message>
        <source>{n} problems in {rows} rows; nothing was imported. Correct them in Excel and import again.</source>
        <translation>{rows} 行中有 {n} 处问题，未导入任何数据。请在 Excel 中改正后重新导入。</translation>
    </message>
    <message>
        <source>Row {row}, {column}: {message}</source>
        <translation>第 {row} 行，{column}：{message}</translation>
    </message>
    <message numerus="yes">
        <source>%n reading(s) ready to import, with no problems.</source>
        <translation>
            <numerusform>%n 条读数检查无误，可以导入。</numerusform>
        </translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
</context>
<context>
    <name>IncidentDialog</name>
    <message>
        <source>Open an incident</source>
        <translation>登记突发事件</translation>
    </message>
    <message>
        <source>What kind</source>
        <translation>事件类别</translation>
    </message>
    <message>
        <source>When it happened</source>
        <translation>发生时间</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>House</source>
        <translation>房号</translation>
    </message>
    <message>
        <source>3-2-1201, or leave empty</source>
        <translation>3-2-1201，可不填</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>事件经过</translation>
    </message>
    <message>
        <source>Reported by</source>
        <translation>报告人</translation>
    </message>
</context>
<context>
    <name>IncidentsTab</name>
    <message>
        <source>Incidents</source>
        <translation>突发事件</translation>
    </message>
    <message>
        <source>Number, place or words — Enter</source>
        <translation>编号、地点或内容，回车查找</translation>
    </message>
    <message>
        <source>Open only</source>
        <translation>只看未结案</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Happened</source>
        <translation>发生时间</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>What</source>
        <translation>经过</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>结案</translation>
    </message>
    <message>
        <source>open</source>
        <translation>处理中</translation>
    </message>
    <message>
        <source>Open an incident…</source>
        <translation>登记突发事件…</translation>
    </message>
    <message>
        <source>A step…</source>
        <translation>记录处置…</translation>
    </message>
    <message>
        <source>Close…</source>
        <translation>结案…</translation>
    </message>
    <message>
        <source>Print the report…</source>
        <translation>打印事件报告…</translation>
    </message>
    <message>
        <source>Choose an incident first</source>
        <translation>请先选择一起事件</translation>
    </message>
    <message>
        <source>This incident is closed</source>
        <translation>该事件已结案</translation>
    </message>
    <message>
        <source>Incident report</source>
        <translation>突发事件处理报告</translation>
    </message>
</context>
<context>
    <name>InspectDialog</name>
    <message>
        <source>Inspect {house}</source>
        <translation>巡查 {house}</translation>
    </message>
    <message>
        <source>Found</source>
        <translation>发现问题</translation>
    </message>
    <message>
        <source>What is not as it should be, and where</source>
        <translation>哪里有什么问题</translation>
    </message>
    <message>
        <source>Photo</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>Pass the finding on as a repair order</source>
        <translation>转为维修单</translation>
    </message>
</context>
<context>
    <name>InvoiceDialog</name>
    <message>
        <source>Invoice for receipt {number}</source>
        <translation>收据 {number} 的发票</translation>
    </message>
    <message>
        <source>Invoice number</source>
        <translation>发票号码</translation>
    </message>
</context>
<context>
    <name>ItemsTab</name>
    <message>
        <source>Tag</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>物品</translation>
    </message>
    <message>
        <source>Comes with</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Lent out</source>
        <translation>已借出</translation>
    </message>
    <message>
        <source>Here</source>
        <translation>在库</translation>
    </message>
    <message>
        <source>Add an item…</source>
        <translation>新增物品…</translation>
    </message>
    <message>
        <source>Lend…</source>
        <translation>借出…</translation>
    </message>
    <message>
        <source>Items to lend</source>
        <translation>可借物品</translation>
    </message>
    <message>
        <source>Borrower</source>
        <translation>借用人</translation>
    </message>
    <message>
        <source>Lent</source>
        <translation>借出时间</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>应还时间</translation>
    </message>
    <message>
        <source>Condition</source>
        <translation>借出时状况</translation>
    </message>
    <message>
        <source>Back…</source>
        <translation>归还…</translation>
    </message>
    <message>
        <source>Items out</source>
        <translation>借出中的物品</translation>
    </message>
    <message>
        <source>{n} out, {late} overdue.</source>
        <translation>借出 {n} 件，逾期 {late} 件。</translation>
    </message>
    <message>
        <source>Lent items</source>
        <translation>物品借用</translation>
    </message>
    <message>
        <source>Choose an item first</source>
        <translation>请先选择物品</translation>
    </message>
    <message>
        <source>Choose an item that is out first</source>
        <translation>请先选择借出中的物品</translation>
    </message>
    <message>
        <source>Item slip</source>
        <translation>物品借用单</translation>
    </message>
</context>
<context>
    <name>KeyCheckDialog</name>
    <message>
        <source>Count the keys</source>
        <translation>钥匙盘点</translation>
    </message>
    <message>
        <source>Responsible person</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>牌号</translation>
    </message>
    <message>
        <source>Opens</source>
        <translation>开启部位</translation>
    </message>
    <message>
        <source>Hook or cabinet</source>
        <translation>挂钩/柜位</translation>
    </message>
    <message>
        <source>Should be here</source>
        <translation>应在柜</translation>
    </message>
    <message>
        <source>Counted</source>
        <translation>实点</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>差异</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>盘点范围</translation>
    </message>
    <message numerus="yes">
        <source>%n key(s) in the register</source>
        <translation>
            <numerusform>登记钥匙 %n 种</numerusform>
        </translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>{at}, counted by {clerk} with {responsible}: {short} short, {extra} extra</source>
        <translation>{at}，盘点人 {clerk}，负责人 {responsible}：短缺 {short} 把，多出 {extra} 把</translation>
    </message>
    <message>
        <source>Key count</source>
        <translation>钥匙盘点表</translation>
    </message>
</context>
<context>
    <name>KeysTab</name>
    <message>
        <source>Tag</source>
        <translation>牌号</translation>
    </message>
    <message>
        <source>Opens</source>
        <translation>开启部位</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Hook or cabinet</source>
        <translation>挂钩/柜位</translation>
    </message>
    <message>
        <source>Copies</source>
        <translation>把数</translation>
    </message>
    <message>
        <source>Out</source>
        <translation>借出</translation>
    </message>
    <message>
        <source>Keeper</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Add a key…</source>
        <translation>新增钥匙…</translation>
    </message>
    <message>
        <source>Lend…</source>
        <translation>借出…</translation>
    </message>
    <message>
        <source>Key register</source>
        <translation>钥匙登记</translation>
    </message>
    <message>
        <source>Borrower</source>
        <translation>借用人</translation>
    </message>
    <message>
        <source>{name} ({kind})</source>
        <translation>{name}（{kind}）</translation>
    </message>
    <message>
        <source>Lent</source>
        <translation>借出时间</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>应还时间</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>归还</translation>
    </message>
    <message>
        <source>Lost…</source>
        <translation>遗失…</translation>
    </message>
    <message>
        <source>Handed back for good…</source>
        <translation>业主领回…</translation>
    </message>
    <message>
        <source>Slip again</source>
        <translation>补打借用单</translation>
    </message>
    <message>
        <source>Count the keys…</source>
        <translation>盘点…</translation>
    </message>
    <message>
        <source>Keys out</source>
        <translation>借出中的钥匙</translation>
    </message>
    <message>
        <source>{d} d {h} h</source>
        <translation>{d} 天 {h} 小时</translation>
    </message>
    <message>
        <source>{n} out, {late} overdue.</source>
        <translation>借出 {n} 把，逾期 {late} 把。</translation>
    </message>
    <message>
        <source>Last counted {day} ({who})</source>
        <translation>上次盘点 {day}（{who}）</translation>
    </message>
    <message>
        <source>Never counted</source>
        <translation>尚未盘点</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>钥匙</translation>
    </message>
    <message>
        <source>Choose a key in the register first</source>
        <translation>请先在钥匙登记中选择钥匙</translation>
    </message>
    <message>
        <source>Choose a key in the list of keys out first</source>
        <translation>请先在借出列表中选择钥匙</translation>
    </message>
    <message>
        <source>Key slip</source>
        <translation>钥匙借用登记单</translation>
    </message>
    <message>
        <source>Key returned</source>
        <translation>钥匙归还</translation>
    </message>
    <message>
        <source>Key {tag} returned by (empty: {name}):</source>
        <translation>钥匙 {tag} 归还人（不填即 {name}）：</translation>
    </message>
    <message>
        <source>Key lost</source>
        <translation>钥匙遗失</translation>
    </message>
    <message>
        <source>Key handed back for good</source>
        <translation>钥匙由业主领回</translation>
    </message>
    <message>
        <source>What happened (the register keeps one copy fewer):</source>
        <translation>情况说明（登记中的把数将减一）：</translation>
    </message>
</context>
<context>
    <name>LeaveDialog</name>
    <message>
        <source>Left at the desk</source>
        <translation>寄存登记</translation>
    </message>
    <message>
        <source>What kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>House</source>
        <translation>房号</translation>
    </message>
    <message>
        <source>3-2-1201, or leave empty</source>
        <translation>3-2-1201，可不填</translation>
    </message>
    <message>
        <source>For</source>
        <translation>交给</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>What</source>
        <translation>物品</translation>
    </message>
    <message>
        <source>Registered number</source>
        <translation>挂号信编号</translation>
    </message>
    <message>
        <source>Left by</source>
        <translation>寄存人/送达人</translation>
    </message>
    <message>
        <source>Kept at</source>
        <translation>存放位置</translation>
    </message>
    <message>
        <source>Checked</source>
        <translation>已查验</translation>
    </message>
    <message>
        <source>no cash or valuables inside</source>
        <translation>无现金、无贵重物品</translation>
    </message>
</context>
<context>
    <name>LeftItemsTab</name>
    <message>
        <source>Left at the desk</source>
        <translation>寄存与信件</translation>
    </message>
    <message>
        <source>What, for whom, left by, house or registered number — Enter</source>
        <translation>物品、交给谁、寄存人、房号或挂号信编号，回车查找</translation>
    </message>
    <message>
        <source>Waiting only</source>
        <translation>只看待领</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>寄存时间</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>What</source>
        <translation>物品</translation>
    </message>
    <message>
        <source>For</source>
        <translation>交给</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Left by</source>
        <translation>寄存人/送达人</translation>
    </message>
    <message>
        <source>Kept at</source>
        <translation>存放位置</translation>
    </message>
    <message>
        <source>Collected</source>
        <translation>领取</translation>
    </message>
    <message>
        <source>Take in…</source>
        <translation>登记寄存…</translation>
    </message>
    <message>
        <source>Collected…</source>
        <translation>领取…</translation>
    </message>
    <message>
        <source>Choose what is collected</source>
        <translation>请先选择被领取的物品</translation>
    </message>
    <message>
        <source>Collected already by {name}</source>
        <translation>已由 {name} 领取</translation>
    </message>
</context>
<context>
    <name>LendDialog</name>
    <message>
        <source>Lend key {tag} — {name}</source>
        <translation>借出钥匙 {tag} — {name}</translation>
    </message>
    <message>
        <source>Borrower is</source>
        <translation>借用人身份</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>ID number (checked on the card)</source>
        <translation>身份证号（已核对证件）</translation>
    </message>
    <message>
        <source>Who is on it…</source>
        <translation>查看委托名单…</translation>
    </message>
    <message>
        <source>Standing authorisation</source>
        <translation>常年委托</translation>
    </message>
    <message>
        <source>Owner&apos;s letter</source>
        <translation>业主委托书</translation>
    </message>
    <message>
        <source>key authorisation letter (钥匙委托书) received</source>
        <translation>已收到钥匙委托书</translation>
    </message>
    <message>
        <source>for good: next time the ID is enough</source>
        <translation>长期有效：下次凭身份证即可</translation>
    </message>
    <message>
        <source>Owner confirmed</source>
        <translation>业主确认方式</translation>
    </message>
    <message>
        <source>Confirmed at</source>
        <translation>确认时间</translation>
    </message>
    <message>
        <source>Approved by</source>
        <translation>审批人</translation>
    </message>
    <message>
        <source>What for</source>
        <translation>用途</translation>
    </message>
    <message>
        <source>Lend and print the slip</source>
        <translation>借出并打印借用单</translation>
    </message>
    <message>
        <source>{name}, named by the owner on {day}: the ID is enough</source>
        <translation>{name}，业主已于 {day} 委托：凭身份证即可</translation>
    </message>
    <message>
        <source>Named: {names}</source>
        <translation>已委托：{names}</translation>
    </message>
    <message>
        <source>No one named yet</source>
        <translation>尚无常年委托人</translation>
    </message>
</context>
<context>
    <name>LendItemDialog</name>
    <message>
        <source>Lend {name} ({tag})</source>
        <translation>借出 {name}（{tag}）</translation>
    </message>
    <message>
        <source>House</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>Borrower</source>
        <translation>借用人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Condition, checked together</source>
        <translation>物品状况（当面查验）</translation>
    </message>
    <message>
        <source>In good order</source>
        <translation>完好</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>签名</translation>
    </message>
    <message>
        <source>The borrower signs here (or on the slip)</source>
        <translation>借用人在此签名（或在借用单上签字）</translation>
    </message>
    <message>
        <source>Lend and print the slip</source>
        <translation>借出并打印借用单</translation>
    </message>
</context>
<context>
    <name>LinkOwnerDialog</name>
    <message>
        <source>Add an existing owner</source>
        <translation>关联已有业主</translation>
    </message>
    <message>
        <source>Name, pinyin, initials or last 4 phone digits</source>
        <translation>姓名、拼音、首字母或电话尾号4位</translation>
    </message>
    <message>
        <source>Primary owner</source>
        <translation>主业主</translation>
    </message>
    <message>
        <source>Find and choose an owner first</source>
        <translation>请先查找并选中一位业主</translation>
    </message>
</context>
<context>
    <name>ListDialog</name>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <source>EstateDesk is locked</source>
        <translation>物业服务台已锁定</translation>
    </message>
    <message>
        <source>Locked while {name} was away. Every page and half-typed form is kept as it was: {name}&apos;s password opens them again.</source>
        <translation>{name} 离开时已锁定。所有页面和填了一半的表单都原样保留：输入 {name} 的密码即可继续。</translation>
    </message>
    <message>
        <source>Password of {name}</source>
        <translation>{name} 的密码</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Switch user…</source>
        <translation>切换用户…</translation>
    </message>
    <message>
        <source>A form is open under the lock: unlock, finish or cancel it, then switch user</source>
        <translation>锁屏下有表单未完成：请先解锁，完成或取消该表单，再切换用户</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>EstateDesk — sign in</source>
        <translation>物业服务台 — 登录</translation>
    </message>
    <message>
        <source>EstateDesk</source>
        <translation>物业服务台</translation>
    </message>
    <message>
        <source>EstateDesk — front desk of the management office</source>
        <translation>物业服务台 — 物业服务中心前台</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>EstateDesk — {estate}</source>
        <translation>物业服务台 — {estate}</translation>
    </message>
    <message>
        <source>new estate</source>
        <translation>新小区</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <source>Archives</source>
        <translation>业主档案</translation>
    </message>
    <message>
        <source>Front desk</source>
        <translation>前台</translation>
    </message>
    <message>
        <source>Registers</source>
        <translation>登记簿</translation>
    </message>
    <message>
        <source>Service desk</source>
        <translation>客服</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>收费</translation>
    </message>
    <message>
        <source>Day close</source>
        <translation>日结</translation>
    </message>
    <message>
        <source>Arrears</source>
        <translation>欠费</translation>
    </message>
    <message>
        <source>Meter readings</source>
        <translation>抄表</translation>
    </message>
    <message>
        <source>Billing</source>
        <translation>计费</translation>
    </message>
    <message>
        <source>Fee items</source>
        <translation>收费项目</translation>
    </message>
    <message>
        <source>Announcements</source>
        <translation>公告通知</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>操作日志</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Signed in: {name} ({roles})</source>
        <translation>当前用户：{name}({roles})</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Switch user…</source>
        <translation>切换用户(&amp;S)…</translation>
    </message>
    <message>
        <source>Change my &amp;password…</source>
        <translation>修改我的密码(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Hand over the shift…</source>
        <translation>交班(&amp;H)…</translation>
    </message>
    <message>
        <source>&amp;Back up…</source>
        <translation>备份(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;Restore from a backup…</source>
        <translation>从备份恢复(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Import from Excel…</source>
        <translation>从 Excel 导入(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Export this list to Excel…</source>
        <translation>导出本页列表到 Excel(&amp;E)…</translation>
    </message>
    <message>
        <source>Export a &amp;report</source>
        <translation>导出报表(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Clerk&apos;s &amp;guide</source>
        <translation>操作手册(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Renovations</source>
        <translation>装修</translation>
    </message>
    <message>
        <source>The deposit and the debris fee are taken at the counter: ask a cashier, who takes them from this renovation&apos;s step on the Service desk&apos;s Renovations tab.</source>
        <translation>装修保证金和垃圾清运费在收费台收取：请收费员在 客服 → 装修 中按这一户的下一步办理。</translation>
    </message>
    <message>
        <source>The first charges are taken at the counter: ask a cashier, who opens this move-in from its line on Today.</source>
        <translation>首期费用在收费台收取：请收费员从 今日 中这一户的入住待办打开办理。</translation>
    </message>
    <message>
        <source>Move-in</source>
        <translation>办理入住</translation>
    </message>
    <message>
        <source>USB stick</source>
        <translation>U 盘</translation>
    </message>
    <message>
        <source>A USB stick is plugged in: {stick}. Back up the office onto it now?</source>
        <translation>已插入 U 盘：{stick}。现在把本物业的数据备份到这个 U 盘吗？</translation>
    </message>
</context>
<context>
    <name>MessageDialog</name>
    <message>
        <source>Take a message</source>
        <translation>记录留言</translation>
    </message>
    <message>
        <source>House</source>
        <translation>房号</translation>
    </message>
    <message>
        <source>3-2-1201, or leave empty</source>
        <translation>3-2-1201，可不填</translation>
    </message>
    <message>
        <source>Who called or came</source>
        <translation>来电/来访人</translation>
    </message>
    <message>
        <source>Number to call back</source>
        <translation>回电号码</translation>
    </message>
    <message>
        <source>For whom</source>
        <translation>转告给</translation>
    </message>
    <message>
        <source>About</source>
        <translation>事由</translation>
    </message>
    <message>
        <source>How</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>asked for</source>
        <translation>对方要求</translation>
    </message>
    <message>
        <source>Call back by</source>
        <translation>回复时限</translation>
    </message>
</context>
<context>
    <name>MessagesTab</name>
    <message>
        <source>Messages</source>
        <translation>留言转告</translation>
    </message>
    <message>
        <source>Name, words, house, phone&apos;s last digits or LY number — Enter</source>
        <translation>姓名、内容、房号、电话尾号或留言编号，回车查找</translation>
    </message>
    <message>
        <source>Open only</source>
        <translation>只看未办</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Taken</source>
        <translation>记录时间</translation>
    </message>
    <message>
        <source>For</source>
        <translation>转告给</translation>
    </message>
    <message>
        <source>From</source>
        <translation>来电/来访</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>About</source>
        <translation>事由</translation>
    </message>
    <message>
        <source>Call back by</source>
        <translation>回复时限</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>办结</translation>
    </message>
    <message>
        <source>New message…</source>
        <translation>记录留言…</translation>
    </message>
    <message>
        <source>Done…</source>
        <translation>已办…</translation>
    </message>
    <message>
        <source>To a repair…</source>
        <translation>转报修…</translation>
    </message>
    <message>
        <source>To a complaint…</source>
        <translation>转投诉…</translation>
    </message>
    <message>
        <source>{n} messages, {late} past their time.</source>
        <translation>共 {n} 条留言，{late} 条已超时。</translation>
    </message>
    <message>
        <source>Choose a message first</source>
        <translation>请先选择一条留言</translation>
    </message>
    <message>
        <source>This message is done already</source>
        <translation>这条留言已办结</translation>
    </message>
    <message>
        <source>To a repair</source>
        <translation>转报修</translation>
    </message>
    <message>
        <source>Kind of repair</source>
        <translation>报修类别</translation>
    </message>
    <message>
        <source>Repair {number} raised from the message.</source>
        <translation>已由留言生成维修单 {number}。</translation>
    </message>
    <message>
        <source>To a complaint</source>
        <translation>转投诉</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>{number} recorded from the message.</source>
        <translation>已由留言登记 {number}。</translation>
    </message>
</context>
<context>
    <name>MeterDialog</name>
    <message>
        <source>Meter — {house}</source>
        <translation>表具 — {house}</translation>
    </message>
    <message>
        <source>Serial number</source>
        <translation>表号</translation>
    </message>
    <message>
        <source>Digits (it rolls over after)</source>
        <translation>位数（满位后翻表）</translation>
    </message>
    <message>
        <source>Reading when fitted</source>
        <translation>装表时读数</translation>
    </message>
</context>
<context>
    <name>MeterGridModel</name>
    <message>
        <source>House</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>Owners</source>
        <translation>业主</translation>
    </message>
    <message>
        <source>Last reading</source>
        <translation>上次读数</translation>
    </message>
    <message>
        <source>This reading</source>
        <translation>本次读数</translation>
    </message>
    <message>
        <source>Usage</source>
        <translation>用量</translation>
    </message>
    <message>
        <source>Average</source>
        <translation>月均</translation>
    </message>
    <message>
        <source>Meter</source>
        <translation>表具</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>Billed: kept as it is</source>
        <translation>已计费，不能修改</translation>
    </message>
    <message>
        <source>{month} is read: kept as it is</source>
        <translation>{month} 已抄表，不能修改</translation>
    </message>
    <message>
        <source>(fitted)</source>
        <translation>（装表）</translation>
    </message>
</context>
<context>
    <name>MetersPage</name>
    <message>
        <source>Save readings (Ctrl+S)</source>
        <translation>保存读数 (Ctrl+S)</translation>
    </message>
    <message>
        <source>Rolled over</source>
        <translation>翻表</translation>
    </message>
    <message>
        <source>Meter replaced…</source>
        <translation>换表…</translation>
    </message>
    <message>
        <source>Meter…</source>
        <translation>表具…</translation>
    </message>
    <message>
        <source>Import from Excel…</source>
        <translation>从 Excel 导入…</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>收费项目</translation>
    </message>
    <message>
        <source>Building</source>
        <translation>楼栋</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Meter readings</source>
        <translation>抄表</translation>
    </message>
    <message numerus="yes">
        <source>%n reading(s) not saved. Save them first?</source>
        <translation>
            <numerusform>有 %n 条读数未保存。先保存吗？</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Nothing was saved: %n reading(s) need correcting (red).</source>
        <translation>
            <numerusform>未保存：有 %n 个读数需要更正（红色）。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saved %n reading(s).</source>
        <translation>
            <numerusform>已保存 %n 条读数。</numerusform>
        </translation>
    </message>
    <message>
        <source>{read} of {total} meters read; {pending} not saved.</source>
        <translation>共 {total} 块表，已抄 {read} 块；{pending} 条未保存。</translation>
    </message>
    <message>
        <source>{n} to correct before saving (red).</source>
        <translation>{n} 条需改正后才能保存（红色）。</translation>
    </message>
    <message>
        <source>{n} to look at (yellow).</source>
        <translation>{n} 条请核对（黄色）。</translation>
    </message>
    <message>
        <source>Choose a house in the list first</source>
        <translation>请先在列表中选择房屋</translation>
    </message>
    <message>
        <source>Type this month&apos;s reading first</source>
        <translation>请先输入本月读数</translation>
    </message>
    <message>
        <source>{house}: {problem}</source>
        <translation>{house}：{problem}</translation>
    </message>
    <message>
        <source>Import readings</source>
        <translation>导入读数</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Imported {n} readings for {period}.</source>
        <translation>已导入 {period} 的 {n} 条读数。</translation>
    </message>
</context>
<context>
    <name>MissingPapersDialog</name>
    <message>
        <source>Missing papers — {what}</source>
        <translation>缺失资料 — {what}</translation>
    </message>
    <message>
        <source>House</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>Owners</source>
        <translation>业主</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <source>Double-click a house (or press Enter) to open it.</source>
        <translation>双击某户(或按回车)打开该户档案。</translation>
    </message>
    <message numerus="yes">
        <source>%n house(s) lack papers</source>
        <translation>
            <numerusform>共 %n 户缺资料</numerusform>
        </translation>
    </message>
    <message>
        <source>Print this list…</source>
        <translation>打印清单…</translation>
    </message>
</context>
<context>
    <name>MoveInDialog</name>
    <message>
        <source>Move-in of {house}</source>
        <translation>{house} 办理入住</translation>
    </message>
    <message>
        <source>Print the notice</source>
        <translation>打印入住通知书</translation>
    </message>
    <message>
        <source>Print the procedure form</source>
        <translation>打印入住手续书</translation>
    </message>
    <message>
        <source>Print the inspection report</source>
        <translation>打印验房表</translation>
    </message>
    <message>
        <source>Print the keys receipt</source>
        <translation>打印钥匙移交单</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Move-in notice</source>
        <translation>入住通知书</translation>
    </message>
    <message>
        <source>The notice tells the owner the day the house is handed over, what to bring and what is paid.</source>
        <translation>通知书告诉业主交房日期、需携带的资料和要缴纳的费用。</translation>
    </message>
    <message>
        <source>Handed over on</source>
        <translation>交房日期</translation>
    </message>
    <message>
        <source>Start the move-in and print the notice</source>
        <translation>开始办理并打印通知书</translation>
    </message>
    <message>
        <source>Tick each paper the owner hands over; they are ticked on the house&apos;s archive too. A paper missing stops the move-in here, and Today shows what it waits for.</source>
        <translation>业主交来的资料逐项勾选，档案中同时勾选为已收。缺少资料时办理停在这一步，今日中显示所缺的资料。</translation>
    </message>
    <message>
        <source>Save the papers</source>
        <translation>保存资料</translation>
    </message>
    <message>
        <source>Walk the house with the owner. Each defect becomes a repair order at once, followed until it is closed.</source>
        <translation>陪同业主验房。发现的每个问题当即转为维修单，跟进到完成。</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>部位</translation>
    </message>
    <message>
        <source>The kitchen, the bedroom window …</source>
        <translation>厨房、主卧窗户……</translation>
    </message>
    <message>
        <source>What is wrong</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Photo</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>Repair</source>
        <translation>维修单</translation>
    </message>
    <message>
        <source>Repair state</source>
        <translation>维修状态</translation>
    </message>
    <message>
        <source>Add the defect</source>
        <translation>登记问题</translation>
    </message>
    <message>
        <source>Inspection done, report signed</source>
        <translation>验房完毕，验房表已签字</translation>
    </message>
    <message>
        <source>The keys the owner receives. The desk&apos;s copies of this house&apos;s keys leave its custody register.</source>
        <translation>业主领取的钥匙。前台代管的本户钥匙从代管登记中移交。</translation>
    </message>
    <message>
        <source>How many</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Which</source>
        <translation>明细</translation>
    </message>
    <message>
        <source>2 door keys, 1 mailbox key</source>
        <translation>入户门钥匙2把、信箱钥匙1把</translation>
    </message>
    <message>
        <source>Keys handed over</source>
        <translation>钥匙已移交</translation>
    </message>
    <message>
        <source>The day the house is handed over: its monthly fees start that day.</source>
        <translation>交房日期：本户每月费用自当日起计收。</translation>
    </message>
    <message>
        <source>Handover date</source>
        <translation>交房日期</translation>
    </message>
    <message>
        <source>The house is</source>
        <translation>房屋状态</translation>
    </message>
    <message>
        <source>Set the handover date</source>
        <translation>确定交房日期</translation>
    </message>
    <message>
        <source>The first months&apos; fees are taken at the counter; the move-in is done once they are paid.</source>
        <translation>首期费用在收费台收取，缴清后入住办理完毕。</translation>
    </message>
    <message>
        <source>Nothing taken now because</source>
        <translation>暂不收费的原因</translation>
    </message>
    <message>
        <source>Close without charges</source>
        <translation>不收费结束</translation>
    </message>
    <message>
        <source>To the counter</source>
        <translation>去收费台</translation>
    </message>
    <message>
        <source>No move-in under way for {house}. Start it with the day the house is handed over.</source>
        <translation>{house} 没有正在办理的入住。请填写交房日期后开始办理。</translation>
    </message>
    <message>
        <source>Fees that start: {items}; a month comes to {amount}.</source>
        <translation>起计的费用：{items}；每月合计 {amount}。</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>{months} months prepaid: {amount}.</source>
        <translation>预交 {months} 个月：{amount}。</translation>
    </message>
    <message>
        <source>The move-in of {house} is done.</source>
        <translation>{house} 入住办理完毕。</translation>
    </message>
    <message>
        <source>: waiting for {papers}</source>
        <translation>：等待 {papers}</translation>
    </message>
    <message>
        <source>{owner}, to be handed over on {planned}. Now: {step}.</source>
        <translation>{owner}，约定交房日期 {planned}。当前：{step}。</translation>
    </message>
    <message>
        <source>A defect is typed but not added: add it, or clear it, first</source>
        <translation>已填写的问题尚未登记：请先登记或清除</translation>
    </message>
    <message>
        <source>Start the move-in first.</source>
        <translation>请先开始办理入住。</translation>
    </message>
    <message>
        <source>Move-in procedure form</source>
        <translation>业主入住手续书</translation>
    </message>
    <message>
        <source>Inspection report</source>
        <translation>验房表</translation>
    </message>
    <message>
        <source>Keys receipt</source>
        <translation>钥匙移交单</translation>
    </message>
</context>
<context>
    <name>MoveOutDialog</name>
    <message>
        <source>Move out {name}</source>
        <translation>{name} 迁出</translation>
    </message>
    <message>
        <source>Moved out on</source>
        <translation>迁出日期</translation>
    </message>
</context>
<context>
    <name>NextNumberDialog</name>
    <message>
        <source>Next receipt number</source>
        <translation>下一张收据号码</translation>
    </message>
    <message>
        <source>Receipts are numbered {prefix}… and the next is {next}. To match a new pre-printed book, enter the number on its first form; numbering goes on from there.</source>
        <translation>收据按 {prefix}… 编号，下一号为 {next}。如需与新的预印收据本对齐，请输入其第一张的号码，此后从该号码续编。</translation>
    </message>
    <message>
        <source>Next number</source>
        <translation>下一个号码</translation>
    </message>
</context>
<context>
    <name>NoticesPage</name>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>e.g. {example}</source>
        <translation>如 {example}</translation>
    </message>
    <message>
        <source>Buildings affected</source>
        <translation>影响楼栋</translation>
    </message>
    <message>
        <source>From</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>To</source>
        <translation>结束时间</translation>
    </message>
    <message>
        <source>What residents should do</source>
        <translation>请住户配合事项</translation>
    </message>
    <message>
        <source>Office phone</source>
        <translation>管理处电话</translation>
    </message>
    <message>
        <source>Copies</source>
        <translation>份数</translation>
    </message>
    <message>
        <source>Preview and print…</source>
        <translation>预览并打印…</translation>
    </message>
    <message>
        <source>New announcement</source>
        <translation>新通知</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>通知</translation>
    </message>
    <message>
        <source>Buildings</source>
        <translation>楼栋</translation>
    </message>
    <message>
        <source>Print again…</source>
        <translation>再次打印…</translation>
    </message>
    <message>
        <source>Announcements made</source>
        <translation>已发通知</translation>
    </message>
    <message>
        <source>Announcement</source>
        <translation>通知</translation>
    </message>
    <message>
        <source>Choose an announcement first</source>
        <translation>请先选中一条通知</translation>
    </message>
</context>
<context>
    <name>Office</name>
    <message>
        <source>Another PC is writing to the database: waiting for it to finish…</source>
        <translation>另一台电脑正在写入数据库，正在等待它写完…</translation>
    </message>
    <message>
        <source>Another PC is writing to the database and has not finished: nothing was done here. Try again in a minute.</source>
        <translation>另一台电脑正在写入数据库，还没有写完：这里什么也没有做。请过一分钟再试。</translation>
    </message>
    <message>
        <source>The database file {path} is read-only (the disk or the file): EstateDesk needs to write to it and to its folder. Copy it to a folder you can write to, or make it writable, then open it again.</source>
        <translation>数据库文件 {path} 是只读的（磁盘或文件本身）：物业服务台需要写入该文件及其所在文件夹。请把它复制到可写的文件夹，或取消只读，然后重新打开。</translation>
    </message>
    <message>
        <source>{path} is a folder, not an EstateDesk database file.</source>
        <translation>{path} 是文件夹，不是物业服务台的数据库文件。</translation>
    </message>
    <message>
        <source>The file {path} is not an EstateDesk database.</source>
        <translation>文件 {path} 不是物业服务台的数据库。</translation>
    </message>
    <message>
        <source>The database {path} was written by a newer version of EstateDesk (schema {version}; this program knows up to {latest}). Please update EstateDesk.</source>
        <translation>数据库 {path} 由更新版本的物业服务台写入(结构版本 {version},本程序最高支持 {latest})。请先升级物业服务台。</translation>
    </message>
    <message>
        <source>This version of EstateDesk could not bring the database {path} up to date ({error}). Nothing in it was changed: it is as it was before, and a checked copy taken just before is kept as {copy}. The previous version of EstateDesk can go on using it; please report this message.</source>
        <translation>本版物业服务台未能升级数据库 {path}（{error}）。数据库没有任何改动，仍是升级前的样子；升级前刚做的、已校验的副本保存为 {copy}。旧版物业服务台可以继续使用它；请把这条消息报告给技术支持。</translation>
    </message>
    <message>
        <source>The database {path} must be brought up to date for this version of EstateDesk, but a copy of it could not be made first ({error}), so nothing was changed. Check the free space on the disk.</source>
        <translation>本版物业服务台需要升级数据库 {path}，但升级前未能先做副本（{error}），所以没有做任何改动。请检查磁盘剩余空间。</translation>
    </message>
    <message>
        <source>Cannot use the database address {url}: write a file path, or postgresql://user:password@server/database</source>
        <translation>无法使用数据库地址 {url}:请填写文件路径，或 postgresql://用户名：密码@服务器/数据库名</translation>
    </message>
    <message>
        <source>Cannot use the database address {url}: {error}</source>
        <translation>无法使用数据库地址 {url}:{error}</translation>
    </message>
    <message>
        <source>The database server {server} does not accept the user name or password in the address. Check them with whoever set up the server.</source>
        <translation>数据库服务器 {server} 不接受地址中的用户名或密码。请向安装服务器的人核对。</translation>
    </message>
    <message>
        <source>The database server {server} has no database named {name}. Check the database&apos;s name in the address.</source>
        <translation>数据库服务器 {server} 上没有名为 {name} 的数据库。请检查地址中的数据库名。</translation>
    </message>
    <message>
        <source>The database server {server} cannot be reached. Check the server&apos;s address, that the server is switched on, and that this PC is on the office network.</source>
        <translation>无法连接数据库服务器 {server}。请检查服务器地址、服务器是否开机，以及本机是否连在办公室网络上。</translation>
    </message>
    <message>
        <source>Cannot reach the database {url}: {error}</source>
        <translation>无法连接数据库 {url}:{error}</translation>
    </message>
    <message>
        <source>&quot;{text}&quot; is not an amount of money; write it like 128.50</source>
        <translation>“{text}”不是金额，请写成 128.50 这样</translation>
    </message>
    <message>
        <source>The amount {text} is too large</source>
        <translation>金额 {text} 太大</translation>
    </message>
    <message>
        <source>Half up to the fen</source>
        <translation>四舍五入到分</translation>
    </message>
    <message>
        <source>Down to the fen</source>
        <translation>舍去分以下</translation>
    </message>
    <message>
        <source>Up to the fen</source>
        <translation>分以下进位</translation>
    </message>
    <message>
        <source>Half up to the jiao</source>
        <translation>四舍五入到角</translation>
    </message>
    <message>
        <source>&quot;{text}&quot; is not a price; write it like 1.85 or 2.3500 (at most 4 decimals)</source>
        <translation>“{text}”不是单价，请写成 1.85 或 2.3500 这样（最多 4 位小数）</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>时区</translation>
    </message>
    <message>
        <source>Parcels: free storage (hours)</source>
        <translation>包裹：免费保管(小时)</translation>
    </message>
    <message>
        <source>Parcels: each further step (hours)</source>
        <translation>包裹：此后每段(小时)</translation>
    </message>
    <message>
        <source>Keys: due back within (days)</source>
        <translation>钥匙：借出后归还期限(天)</translation>
    </message>
    <message>
        <source>Backups: remind when the last is older than (days)</source>
        <translation>备份：超过几天未备份时提醒（天）</translation>
    </message>
    <message>
        <source>Backups kept: one a day for the last (days; all three 0: keep every backup)</source>
        <translation>备份保留：最近几天每天一份（天；三项都为 0 时全部保留）</translation>
    </message>
    <message>
        <source>Backups kept: one a week for the last (weeks)</source>
        <translation>备份保留：最近几周每周一份（周）</translation>
    </message>
    <message>
        <source>Backups kept: one a month for the last (months)</source>
        <translation>备份保留：最近几个月每月一份（月）</translation>
    </message>
    <message>
        <source>Keys: count the cabinet every (days; 0: never remind)</source>
        <translation>钥匙：盘点周期（天；0 为不提醒）</translation>
    </message>
    <message>
        <source>Lent items: due back within (days)</source>
        <translation>物品借用：归还期限（天）</translation>
    </message>
    <message>
        <source>Bills: due day of the month</source>
        <translation>账单：每月缴费截止日</translation>
    </message>
    <message>
        <source>Late fee rate per day</source>
        <translation>违约金日费率</translation>
    </message>
    <message>
        <source>Fee items that carry a late fee</source>
        <translation>计违约金的收费项目</translation>
    </message>
    <message>
        <source>Parcels: fee past the free time (yuan)</source>
        <translation>包裹：超过免费时长的收费（元）</translation>
    </message>
    <message>
        <source>Parcels: fee per further step (yuan)</source>
        <translation>包裹：此后每段加收（元）</translation>
    </message>
    <message>
        <source>Parcels: fee cap (yuan)</source>
        <translation>包裹：收费封顶（元）</translation>
    </message>
    <message>
        <source>Renovation: deposit (yuan)</source>
        <translation>装修：保证金（元）</translation>
    </message>
    <message>
        <source>Renovation: debris removal fee (yuan)</source>
        <translation>装修：垃圾清运费（元）</translation>
    </message>
    <message>
        <source>Renovation: waterproofing test lasts (hours)</source>
        <translation>装修：闭水试验时长（小时）</translation>
    </message>
    <message>
        <source>Renovation: debris checked taken away each day by (hour)</source>
        <translation>装修：每日检查垃圾清运的时间（点）</translation>
    </message>
    <message>
        <source>Renovation: works allowed from (hour)</source>
        <translation>装修：允许施工开始时间（点）</translation>
    </message>
    <message>
        <source>Renovation: works allowed until (hour)</source>
        <translation>装修：允许施工结束时间（点）</translation>
    </message>
    <message>
        <source>Move-in: monthly fees that start at the handover</source>
        <translation>入住：交房起计的每月费用</translation>
    </message>
    <message>
        <source>Move-in: months of fees taken ahead</source>
        <translation>入住：预交月数</translation>
    </message>
    <message>
        <source>Shift handover: the cash box is counted and handed over</source>
        <translation>交接班：清点并交接钱箱现金</translation>
    </message>
    <message>
        <source>Messages: answered within (hours) when no time is asked</source>
        <translation>留言：未约定时间时的回复时限（小时）</translation>
    </message>
    <message>
        <source>Visitors: still inside after (hour) are listed on Today</source>
        <translation>访客：超过几点仍未离开的列入今日（时）</translation>
    </message>
    <message>
        <source>Patrol: the day&apos;s patrol done by (hour)</source>
        <translation>巡查：每日巡查应在几点前完成（时）</translation>
    </message>
    <message>
        <source>Targets: facilities intact at least (%)</source>
        <translation>目标：设施设备完好率不低于（%）</translation>
    </message>
    <message>
        <source>Access cards: at most per house</source>
        <translation>门禁卡：每户最多张数</translation>
    </message>
    <message>
        <source>Access cards: fee for a new or replaced card</source>
        <translation>门禁卡：新办或补办工本费</translation>
    </message>
    <message>
        <source>Access cards: deposit for a card</source>
        <translation>门禁卡：每张押金</translation>
    </message>
    <message>
        <source>Vacant houses: inspect every (days)</source>
        <translation>空置房：巡查间隔（天）</translation>
    </message>
    <message>
        <source>Late fee cap (yuan, 0 = none)</source>
        <translation>违约金上限（元，0 为不设）</translation>
    </message>
    <message>
        <source>Repairs: answer about dispatch within (minutes)</source>
        <translation>报修：答复派工时限(分钟)</translation>
    </message>
    <message>
        <source>Repairs: return visit within (days)</source>
        <translation>报修：回访时限(天)</translation>
    </message>
    <message>
        <source>Repairs: leak return visit after the leak test (days)</source>
        <translation>报修：漏水试水后回访时限(天)</translation>
    </message>
    <message>
        <source>Complaints: first answer within (hours)</source>
        <translation>投诉：首次答复时限(小时)</translation>
    </message>
    <message>
        <source>Complaints: simple ones answered within (hours)</source>
        <translation>投诉：简单投诉答复时限(小时)</translation>
    </message>
    <message>
        <source>Major complaints: clear answer within (days)</source>
        <translation>重大投诉：明确答复时限(天)</translation>
    </message>
    <message>
        <source>Major complaints: resolved within (days)</source>
        <translation>重大投诉：解决时限(天)</translation>
    </message>
    <message>
        <source>Important complaints: to the department head within (hours)</source>
        <translation>重要投诉：报部门负责人时限(小时)</translation>
    </message>
    <message>
        <source>Important complaints: done within (days)</source>
        <translation>重要投诉：处理完毕时限(天)</translation>
    </message>
    <message>
        <source>Minor complaints: done within (days)</source>
        <translation>一般投诉：处理完毕时限(天)</translation>
    </message>
    <message>
        <source>Count day limits in working days</source>
        <translation>按工作日计算天数时限</translation>
    </message>
    <message>
        <source>Holidays, not working days (2026-10-01, …)</source>
        <translation>节假日（不算工作日，如 2026-10-01，…）</translation>
    </message>
    <message>
        <source>Scans: shared folder (empty: beside the database)</source>
        <translation>扫描件：共享文件夹(空则放在数据库旁)</translation>
    </message>
    <message>
        <source>Notices: greeting</source>
        <translation>通知：称呼</translation>
    </message>
    <message>
        <source>Notices: water cut wording</source>
        <translation>通知：停水正文</translation>
    </message>
    <message>
        <source>Notices: power cut wording</source>
        <translation>通知：停电正文</translation>
    </message>
    <message>
        <source>Notices: construction wording</source>
        <translation>通知：施工正文</translation>
    </message>
    <message>
        <source>Notices: announcement wording</source>
        <translation>通知：公告正文</translation>
    </message>
    <message>
        <source>Notices: closing line</source>
        <translation>通知：结束语</translation>
    </message>
    <message>
        <source>Dunning notice: after months owed</source>
        <translation>催缴通知书：欠费满几个月</translation>
    </message>
    <message>
        <source>Targets: fee collection rate at least (%)</source>
        <translation>指标：收费率不低于（%）</translation>
    </message>
    <message>
        <source>Targets: repairs on time at least (%)</source>
        <translation>指标：维修及时率不低于（%）</translation>
    </message>
    <message>
        <source>Targets: repeat repairs at most</source>
        <translation>指标：返修次数不超过</translation>
    </message>
    <message>
        <source>Targets: return visits made at least (%)</source>
        <translation>指标：回访率不低于（%）</translation>
    </message>
    <message>
        <source>Dunning notice: days given to pay</source>
        <translation>催缴通知书：限期几天缴清</translation>
    </message>
    <message>
        <source>Payment notice: wording</source>
        <translation>缴款通知：正文</translation>
    </message>
    <message>
        <source>Dunning notice: wording</source>
        <translation>催缴通知书：正文</translation>
    </message>
    <message>
        <source>Receipts: title</source>
        <translation>收据：标题</translation>
    </message>
    <message>
        <source>Receipts: signature line</source>
        <translation>收据：签字栏</translation>
    </message>
    <message>
        <source>Receipts: footer</source>
        <translation>收据：页脚说明</translation>
    </message>
    <message>
        <source>Sign-in: wrong passwords in a row before the user is locked</source>
        <translation>登录：连续输错密码几次后锁定该用户</translation>
    </message>
    <message>
        <source>Sign-in: a locked user waits (minutes)</source>
        <translation>登录：被锁定的用户需等待（分钟）</translation>
    </message>
    <message>
        <source>Lock the window after no use for (minutes; 0: never)</source>
        <translation>无人操作多久后锁定窗口（分钟；0：从不）</translation>
    </message>
    <message>
        <source>This value is not valid here</source>
        <translation>此处的值无效</translation>
    </message>
    <message>
        <source>Must be at least {minimum}</source>
        <translation>不能小于 {minimum}</translation>
    </message>
    <message>
        <source>Must be at most {maximum}</source>
        <translation>不能超过{maximum}</translation>
    </message>
    <message>
        <source>Write each holiday as a date: 2026-10-01</source>
        <translation>每个节假日请写成日期：2026-10-01</translation>
    </message>
    <message>
        <source>Use only {{reason}} {{buildings}} {{start}} {{end}} {{what_to_do}} {{phone}} in braces</source>
        <translation>大括号中只能用 {{reason}} {{buildings}} {{start}} {{end}} {{what_to_do}} {{phone}}</translation>
    </message>
    <message>
        <source>Use only {{house}} {{owner}} {{date}} {{total}} {{late_fee}} {{months}} {{due_day}} {{rate}} {{deadline}} {{phone}} in braces</source>
        <translation>花括号中只能使用 {{house}} {{owner}} {{date}} {{total}} {{late_fee}} {{months}} {{due_day}} {{rate}} {{deadline}} {{phone}}</translation>
    </message>
    <message>
        <source>The notice needs its wording</source>
        <translation>通知须有正文</translation>
    </message>
    <message>
        <source>Use only {{cashier}} in braces</source>
        <translation>大括号中只能用 {{cashier}}（收款人）</translation>
    </message>
    <message>
        <source>A receipt needs a title</source>
        <translation>收据必须有标题</translation>
    </message>
    <message>
        <source>A percentage is at most 100</source>
        <translation>百分比不能超过 100</translation>
    </message>
    <message>
        <source>The due day must be between 1 and 28</source>
        <translation>缴费截止日须在 1 到 28 之间</translation>
    </message>
    <message>
        <source>Clerk</source>
        <translation>客服</translation>
    </message>
    <message>
        <source>Repair</source>
        <translation>报修</translation>
    </message>
    <message>
        <source>Parcel</source>
        <translation>包裹</translation>
    </message>
    <message>
        <source>Renovation</source>
        <translation>装修</translation>
    </message>
    <message>
        <source>Vacant-house inspection</source>
        <translation>空置房巡查</translation>
    </message>
    <message>
        <source>Charge</source>
        <translation>费用</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>收据</translation>
    </message>
    <message>
        <source>became the owner</source>
        <translation>成为业主</translation>
    </message>
    <message>
        <source>no longer the owner</source>
        <translation>不再是业主</translation>
    </message>
    <message>
        <source>lent</source>
        <translation>借出</translation>
    </message>
    <message>
        <source>moved in</source>
        <translation>入住</translation>
    </message>
    <message>
        <source>moved out</source>
        <translation>迁出</translation>
    </message>
    <message>
        <source>reported</source>
        <translation>报修登记</translation>
    </message>
    <message>
        <source>recorded</source>
        <translation>登记</translation>
    </message>
    <message>
        <source>visited</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>taken in, waiting</source>
        <translation>代收，待取</translation>
    </message>
    <message>
        <source>taken in, picked up</source>
        <translation>代收，已取</translation>
    </message>
    <message>
        <source>handed over for good</source>
        <translation>移交业主</translation>
    </message>
    <message>
        <source>applied</source>
        <translation>申请</translation>
    </message>
    <message>
        <source>inspected</source>
        <translation>巡查</translation>
    </message>
    <message>
        <source>posted</source>
        <translation>计费</translation>
    </message>
    <message>
        <source>paid</source>
        <translation>收款</translation>
    </message>
    <message>
        <source>paid back</source>
        <translation>退款</translation>
    </message>
    <message>
        <source>voided</source>
        <translation>作废</translation>
    </message>
    <message>
        <source>Receipt number</source>
        <translation>收据号</translation>
    </message>
    <message>
        <source>Paid by</source>
        <translation>交款人</translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation>收费员</translation>
    </message>
    <message>
        <source>Total in figures</source>
        <translation>合计(小写)</translation>
    </message>
    <message>
        <source>Total in capitals</source>
        <translation>合计(大写)</translation>
    </message>
    <message>
        <source>Note (cash and change)</source>
        <translation>备注(实收、找零)</translation>
    </message>
    <message>
        <source>Copy (存根/收据/记账)</source>
        <translation>联次(存根/收据/记账)</translation>
    </message>
    <message>
        <source>Form n of m</source>
        <translation>页次(第n页/共m页)</translation>
    </message>
    <message>
        <source>Reprint mark</source>
        <translation>补打标记</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Signature line</source>
        <translation>签字栏</translation>
    </message>
    <message>
        <source>Footer</source>
        <translation>页脚</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>收费项目</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>所属期间</translation>
    </message>
    <message>
        <source>Work order</source>
        <translation>维修派工单</translation>
    </message>
    <message>
        <source>Work order number</source>
        <translation>派工单号</translation>
    </message>
    <message>
        <source>House or place</source>
        <translation>房号/地点</translation>
    </message>
    <message>
        <source>Reported by</source>
        <translation>报修人</translation>
    </message>
    <message>
        <source>Reported at</source>
        <translation>报修时间</translation>
    </message>
    <message>
        <source>What is wrong</source>
        <translation>报修内容</translation>
    </message>
    <message>
        <source>Technician</source>
        <translation>维修人员</translation>
    </message>
    <message>
        <source>Rework</source>
        <translation>返修</translation>
    </message>
    <message>
        <source>Terms</source>
        <translation>说明条款</translation>
    </message>
    <message>
        <source>Parcel label</source>
        <translation>包裹标签</translation>
    </message>
    <message>
        <source>Pickup code</source>
        <translation>取件码</translation>
    </message>
    <message>
        <source>Shelf</source>
        <translation>货架</translation>
    </message>
    <message>
        <source>Recipient</source>
        <translation>收件人</translation>
    </message>
    <message>
        <source>Courier and tracking number</source>
        <translation>快递公司及单号</translation>
    </message>
    <message>
        <source>Received at</source>
        <translation>收件时间</translation>
    </message>
    <message>
        <source>Key loan slip</source>
        <translation>钥匙借用登记单</translation>
    </message>
    <message>
        <source>Slip number</source>
        <translation>单号</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>钥匙</translation>
    </message>
    <message>
        <source>Borrower</source>
        <translation>借用人</translation>
    </message>
    <message>
        <source>Lent at</source>
        <translation>借用时间</translation>
    </message>
    <message>
        <source>Due back</source>
        <translation>应还时间</translation>
    </message>
    <message>
        <source>Owner&apos;s consent</source>
        <translation>业主委托</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>用途</translation>
    </message>
    <message>
        <source>Item loan slip</source>
        <translation>物品借用单</translation>
    </message>
    <message>
        <source>Condition when lent</source>
        <translation>借出时状况</translation>
    </message>
    <message>
        <source>Returned at</source>
        <translation>归还时间</translation>
    </message>
    <message>
        <source>Condition when returned</source>
        <translation>归还时状况</translation>
    </message>
    <message>
        <source>Greeting</source>
        <translation>称呼</translation>
    </message>
    <message>
        <source>The office&apos;s wording</source>
        <translation>通知正文</translation>
    </message>
    <message>
        <source>Charges owed</source>
        <translation>欠费合计</translation>
    </message>
    <message>
        <source>Late fees</source>
        <translation>违约金合计</translation>
    </message>
    <message>
        <source>Late fees counted to</source>
        <translation>违约金计至</translation>
    </message>
    <message>
        <source>Office&apos;s name</source>
        <translation>落款</translation>
    </message>
    <message>
        <source>Owed</source>
        <translation>欠费</translation>
    </message>
    <message>
        <source>Subtotal</source>
        <translation>小计</translation>
    </message>
    <message>
        <source>the QR code</source>
        <translation>二维码</translation>
    </message>
    <message>
        <source>a line</source>
        <translation>一条线</translation>
    </message>
    <message>
        <source>a box</source>
        <translation>一个方框</translation>
    </message>
    <message>
        <source>a picture</source>
        <translation>一张图片</translation>
    </message>
    <message>
        <source>the letterhead</source>
        <translation>抬头</translation>
    </message>
    <message>
        <source>This template is for a document the program does not know: {name}</source>
        <translation>这个模板所属的单据本程序不认识：{name}</translation>
    </message>
    <message>
        <source>The template needs a name</source>
        <translation>请给模板起个名称</translation>
    </message>
    <message>
        <source>The template&apos;s name is too long (at most {n} characters)</source>
        <translation>模板名称太长（最多 {n} 个字）</translation>
    </message>
    <message>
        <source>The paper must be between 20 and {most} mm each way, not {w} × {h} mm</source>
        <translation>纸张的宽和高都须在 20 至 {most} 毫米之间，不能是 {w} × {h} 毫米</translation>
    </message>
    <message>
        <source>Unknown kind of item: {kind}</source>
        <translation>未知的项目类型：{kind}</translation>
    </message>
    <message>
        <source>Unknown field “{name}”: a {document} has {names}</source>
        <translation>未知的字段“{name}”：{document}的字段有 {names}</translation>
    </message>
    <message>
        <source>{what}: its stroke must be 0 to 5 pt</source>
        <translation>{what}：线宽须在 0 至 5 磅之间</translation>
    </message>
    <message>
        <source>{what} has no room: give its box a width and a height</source>
        <translation>{what}没有位置：请给它的框设定宽度和高度</translation>
    </message>
    <message>
        <source>{what}: set it in the middle or on its baseline</source>
        <translation>{what}：请选择居中或按基线对齐</translation>
    </message>
    <message>
        <source>{what}: its box is too low for any type; give it at least {mm} mm</source>
        <translation>{what}：框太矮，放不下任何字号；高度至少 {mm} 毫米</translation>
    </message>
    <message>
        <source>{what}: its words are too long (at most {n} characters)</source>
        <translation>{what}：文字太长（最多 {n} 个字）</translation>
    </message>
    <message>
        <source>{what} needs a box of at least {mm} × {mm} mm to be read by a scanner</source>
        <translation>{what}的框至少要 {mm} × {mm} 毫米，扫码枪才能识读</translation>
    </message>
    <message>
        <source>{what} is not a PNG or JPEG picture</source>
        <translation>{what}不是 PNG 或 JPEG 图片</translation>
    </message>
    <message>
        <source>The picture of the stock is not a PNG or JPEG picture</source>
        <translation>单据扫描图不是 PNG 或 JPEG 图片</translation>
    </message>
    <message>
        <source>A {document} has no table of lines</source>
        <translation>{document}没有明细表</translation>
    </message>
    <message>
        <source>The table needs a width, and at least one row, each at least {mm} mm high</source>
        <translation>明细表须有宽度，并至少有一行，每行至少 {mm} 毫米高</translation>
    </message>
    <message>
        <source>The column {what} lies outside the table or has no room</source>
        <translation>“{what}”一列超出了明细表或没有宽度</translation>
    </message>
    <message>
        <source>The table of charge lines lies outside the paper ({w} × {h} mm)</source>
        <translation>收费明细表超出了纸张（{w} × {h} 毫米）</translation>
    </message>
    <message>
        <source>The table needs at least one column</source>
        <translation>明细表至少要有一列</translation>
    </message>
    <message>
        <source>The column “{name}” is in the table twice</source>
        <translation>“{name}”一列在明细表中出现了两次</translation>
    </message>
    <message>
        <source>Unknown column “{name}”: the table has {names}</source>
        <translation>未知的列“{name}”：明细表的列有 {names}</translation>
    </message>
    <message>
        <source>{what} lies outside the paper ({w} × {h} mm)</source>
        <translation>{what}超出了纸张（{w} × {h} 毫米）</translation>
    </message>
    <message>
        <source>{what}: its type must be between {low} and 72 pt, and its smallest no larger than its size</source>
        <translation>{what}：字号须在 {low} 至 72 磅之间，最小字号不能大于字号</translation>
    </message>
    <message>
        <source>{what}: it may take 1 to 20 lines</source>
        <translation>{what}：可占 1 至 20 行</translation>
    </message>
    <message>
        <source>{what}: align it left, centre or right</source>
        <translation>{what}：请选择左对齐、居中或右对齐</translation>
    </message>
    <message>
        <source>“{name}” must be a number of mm or pt</source>
        <translation>“{name}”须是毫米或磅数</translation>
    </message>
    <message>
        <source>The file is not a template: {where} is wrong</source>
        <translation>这个文件不是模板：{where}有误</translation>
    </message>
    <message>
        <source>The file has “{name}” in {where}, which a template does not have</source>
        <translation>文件的{where}中有“{name}”，模板没有这一项</translation>
    </message>
    <message>
        <source>“{name}” must be a whole number</source>
        <translation>“{name}”须是整数</translation>
    </message>
    <message>
        <source>“{name}” must be true or false</source>
        <translation>“{name}”须是 true 或 false</translation>
    </message>
    <message>
        <source>“{name}” must be words</source>
        <translation>“{name}”须是文字</translation>
    </message>
    <message>
        <source>{where} lacks “{name}”</source>
        <translation>{where}缺少“{name}”</translation>
    </message>
    <message>
        <source>The file is not an EstateDesk template</source>
        <translation>这个文件不是物业服务台的模板</translation>
    </message>
    <message>
        <source>The template was made by a newer version of the program (format {n}): update this PC first</source>
        <translation>这个模板由更新版本的程序制作（格式 {n}）：请先升级本机的程序</translation>
    </message>
    <message>
        <source>The file cannot be read: {reason}</source>
        <translation>无法读取文件：{reason}</translation>
    </message>
    <message>
        <source>There is no template named {name}</source>
        <translation>没有名为 {name} 的模板</translation>
    </message>
    <message>
        <source>A template named {name} is there already: give this one another name</source>
        <translation>已有名为 {name} 的模板：请给这个模板另起名称</translation>
    </message>
    <message>
        <source>Walls</source>
        <translation>墙体</translation>
    </message>
    <message>
        <source>Waterproofing</source>
        <translation>防水</translation>
    </message>
    <message>
        <source>Applied</source>
        <translation>已申请</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>已审批</translation>
    </message>
    <message>
        <source>Works going on</source>
        <translation>施工中</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>已验收</translation>
    </message>
    <message>
        <source>Deposit refunded</source>
        <translation>已退保证金</translation>
    </message>
    <message>
        <source>Not approved</source>
        <translation>未批准</translation>
    </message>
    <message>
        <source>Service desk</source>
        <translation>客服中心</translation>
    </message>
    <message>
        <source>Engineering</source>
        <translation>工程部</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <source>Closed-water test</source>
        <translation>闭水试验</translation>
    </message>
    <message>
        <source>Pressure test</source>
        <translation>打压试验</translation>
    </message>
    <message>
        <source>Approve at the service desk</source>
        <translation>客服中心审核</translation>
    </message>
    <message>
        <source>Engineering&apos;s approval</source>
        <translation>工程部审核</translation>
    </message>
    <message>
        <source>Supervisor&apos;s approval</source>
        <translation>主管审批</translation>
    </message>
    <message>
        <source>Agreement and fire pledge signed</source>
        <translation>协议与防火责任书签字</translation>
    </message>
    <message>
        <source>Take the deposit and debris fee</source>
        <translation>收取保证金和清运费</translation>
    </message>
    <message>
        <source>Issue the permit</source>
        <translation>发放装修许可证</translation>
    </message>
    <message>
        <source>Check the rectification</source>
        <translation>复查整改</translation>
    </message>
    <message>
        <source>Final inspection</source>
        <translation>竣工验收</translation>
    </message>
    <message>
        <source>Refund the deposit</source>
        <translation>退还保证金</translation>
    </message>
    <message>
        <source>This renovation no longer exists</source>
        <translation>该装修记录已不存在</translation>
    </message>
    <message>
        <source>No renovation is numbered {number}</source>
        <translation>没有编号为 {number} 的装修</translation>
    </message>
    <message>
        <source>Rectification {number} is still open: check it first</source>
        <translation>整改 {number} 尚未完成：请先复查</translation>
    </message>
    <message>
        <source>The waterproofing test of the {area} is not read yet</source>
        <translation>{area}的闭水试验尚未查验</translation>
    </message>
    <message>
        <source>The waterproofing test of the {area} failed: test it again</source>
        <translation>{area}的闭水试验不合格：请重新试验</translation>
    </message>
    <message>
        <source>The works touch waterproofing: a waterproofing test must pass</source>
        <translation>装修涉及防水：闭水试验须合格</translation>
    </message>
    <message>
        <source>Worker {n}: enter the name</source>
        <translation>第 {n} 名施工人员：请输入姓名</translation>
    </message>
    <message>
        <source>Worker {n}: at most {most} characters in the name</source>
        <translation>第 {n} 名施工人员：姓名最多 {most} 个字</translation>
    </message>
    <message>
        <source>Worker {n} ({name}): every worker shows an ID card: enter its number</source>
        <translation>第 {n} 名施工人员（{name}）：施工人员须出示身份证，请输入证件号码</translation>
    </message>
    <message>
        <source>Worker {n} ({name}): {problem}</source>
        <translation>第 {n} 名施工人员（{name}）：{problem}</translation>
    </message>
    <message>
        <source>Worker {n} ({name}): this ID number is on the list twice</source>
        <translation>第 {n} 名施工人员（{name}）：该证件号码重复登记</translation>
    </message>
    <message>
        <source>{house} is not handed over yet: no renovation before the move-in</source>
        <translation>{house} 尚未交付：办理入住前不能装修</translation>
    </message>
    <message>
        <source>{house} already has renovation {number} open</source>
        <translation>{house} 已有未结束的装修 {number}</translation>
    </message>
    <message>
        <source>Enter who applies</source>
        <translation>请输入申请人</translation>
    </message>
    <message>
        <source>Enter the contractor</source>
        <translation>请输入施工单位</translation>
    </message>
    <message>
        <source>Enter the contractor&apos;s licence number (营业执照/资质证书)</source>
        <translation>请输入施工单位的执照号码（营业执照/资质证书）</translation>
    </message>
    <message>
        <source>Say what the works are</source>
        <translation>请填写装修内容</translation>
    </message>
    <message>
        <source>The works cannot start before today</source>
        <translation>开工日期不能早于今天</translation>
    </message>
    <message>
        <source>The works cannot end before they start</source>
        <translation>完工日期不能早于开工日期</translation>
    </message>
    <message>
        <source>Works of more than a year: check the dates</source>
        <translation>工期超过一年：请核对日期</translation>
    </message>
    <message>
        <source>Add the workers with their ID numbers</source>
        <translation>请登记施工人员及其身份证号</translation>
    </message>
    <message>
        <source>At most {n} workers</source>
        <translation>最多 {n} 名施工人员</translation>
    </message>
    <message>
        <source>Renovation {number} is {state}: this step is not open</source>
        <translation>装修 {number} {state}：不能办理这一步</translation>
    </message>
    <message>
        <source>Say why it is not approved</source>
        <translation>请说明不予批准的原因</translation>
    </message>
    <message>
        <source>Enter the engineer who signed</source>
        <translation>请输入签字的工程人员</translation>
    </message>
    <message>
        <source>The supervisor approves with her password</source>
        <translation>须主管输入密码审批</translation>
    </message>
    <message>
        <source>Check the papers</source>
        <translation>核对资料</translation>
    </message>
    <message>
        <source>Inspect the house with the owner</source>
        <translation>陪同业主验房</translation>
    </message>
    <message>
        <source>Hand over the keys</source>
        <translation>移交钥匙</translation>
    </message>
    <message>
        <source>Set the handover date</source>
        <translation>确定交房日期</translation>
    </message>
    <message>
        <source>Take the first charges</source>
        <translation>收取首期费用</translation>
    </message>
    <message>
        <source>This move-in no longer exists</source>
        <translation>该入住记录已不存在</translation>
    </message>
    <message>
        <source>A handover more than a year away: check the date</source>
        <translation>交房日期相差一年以上：请核对日期</translation>
    </message>
    <message>
        <source>{house}&apos;s move-in is under way already</source>
        <translation>{house} 已在办理入住</translation>
    </message>
    <message>
        <source>{house} has no owner on file: add the owner to the archive first</source>
        <translation>{house} 档案中没有业主：请先在档案中添加业主</translation>
    </message>
    <message>
        <source>The move-in of {house} is done</source>
        <translation>{house} 入住已办理完毕</translation>
    </message>
    <message>
        <source>First: {step}</source>
        <translation>请先：{step}</translation>
    </message>
    <message>
        <source>The move-in of {house} has this step done already: {step}</source>
        <translation>{house} 的入住已办过这一步：{step}</translation>
    </message>
    <message>
        <source>Say where: the kitchen, the bedroom window …</source>
        <translation>请填写部位：厨房、主卧窗户……</translation>
    </message>
    <message>
        <source>Say what is wrong</source>
        <translation>请填写问题</translation>
    </message>
    <message>
        <source>The inspection of {house} is signed off: report a later fault as a repair</source>
        <translation>{house} 验房已签字：之后发现的问题请另行报修</translation>
    </message>
    <message>
        <source>Say which keys: 2 door keys, 1 mailbox key …</source>
        <translation>请填写钥匙明细：入户门钥匙2把、信箱钥匙1把……</translation>
    </message>
    <message>
        <source>The first charges are at least a month&apos;s fees, {month}: this payment is {paid}</source>
        <translation>首期费用至少为一个月的费用 {month}：本次收款为 {paid}</translation>
    </message>
    <message>
        <source>Say why nothing is taken now</source>
        <translation>请说明暂不收费的原因</translation>
    </message>
    <message>
        <source>The papers of {number} are signed already</source>
        <translation>{number} 的文件已签字</translation>
    </message>
    <message>
        <source>Renovation {number} has nothing to pay now</source>
        <translation>装修 {number} 现在没有要交的费用</translation>
    </message>
    <message>
        <source>The money of {number} is taken already, on {receipt}</source>
        <translation>{number} 的费用已收，收据 {receipt}</translation>
    </message>
    <message>
        <source>This payment is not for {house}</source>
        <translation>这笔款项不是 {house} 的</translation>
    </message>
    <message>
        <source>The renovation&apos;s deposit is not on this payment: tick its line</source>
        <translation>本次收款没有装修保证金：请勾选该行</translation>
    </message>
    <message>
        <source>The debris removal fee is not on this payment: tick its line</source>
        <translation>本次收款没有装修垃圾清运费：请勾选该行</translation>
    </message>
    <message>
        <source>A renovation pays a deposit of {deposit} and a debris fee of {debris} (Settings); this payment has {paid_deposit} and {paid_debris}</source>
        <translation>装修应交保证金 {deposit}、垃圾清运费 {debris}（见设置）；本次收款为 {paid_deposit} 和 {paid_debris}</translation>
    </message>
    <message>
        <source>Receipt {receipt} holds the deposit of renovation {number}, whose works have begun: refund it through the renovation instead</source>
        <translation>收据 {receipt} 是装修 {number} 的保证金，已开工：请通过装修办理退还</translation>
    </message>
    <message>
        <source>Receipt {receipt} of the deposit is voided: take the money again</source>
        <translation>保证金收据 {receipt} 已作废：请重新收取</translation>
    </message>
    <message>
        <source>Say why the works need more time</source>
        <translation>请说明延期原因</translation>
    </message>
    <message>
        <source>The new end comes after {end}</source>
        <translation>新的完工日期须晚于 {end}</translation>
    </message>
    <message>
        <source>Say what you found</source>
        <translation>请填写检查发现的情况</translation>
    </message>
    <message>
        <source>{time} is within the permitted hours ({start}:00–{end}:00)</source>
        <translation>{time} 在允许施工时间内（{start}:00–{end}:00）</translation>
    </message>
    <message>
        <source>The works began at {when}: an inspection is after that</source>
        <translation>装修于 {when} 开工：巡查时间须在此之后</translation>
    </message>
    <message>
        <source>This rectification no longer exists</source>
        <translation>该整改记录已不存在</translation>
    </message>
    <message>
        <source>{number} is checked already</source>
        <translation>{number} 已复查</translation>
    </message>
    <message>
        <source>Say where: the bathroom, the kitchen …</source>
        <translation>请填写部位：卫生间、厨房……</translation>
    </message>
    <message>
        <source>A test of the {area} is running already</source>
        <translation>{area}已有正在进行的试验</translation>
    </message>
    <message>
        <source>Say what leaked and where</source>
        <translation>请填写渗漏情况及部位</translation>
    </message>
    <message>
        <source>This test no longer exists</source>
        <translation>该试验记录已不存在</translation>
    </message>
    <message>
        <source>This test is read already</source>
        <translation>该试验已查验</translation>
    </message>
    <message>
        <source>The test has run {h} h {m} min of its {hours} h: read it from {ready}</source>
        <translation>试验已进行 {h} 小时 {m} 分，须满 {hours} 小时：{ready} 起方可查验</translation>
    </message>
    <message>
        <source>Say what is not accepted</source>
        <translation>请填写验收不合格的内容</translation>
    </message>
    <message>
        <source>Deduction {n}: say what it is for</source>
        <translation>第 {n} 项扣款：请说明扣款原因</translation>
    </message>
    <message>
        <source>Deduction {n}: at most {most} characters</source>
        <translation>第 {n} 项扣款：最多 {most} 个字</translation>
    </message>
    <message>
        <source>Rectification {number} is still open: nothing is refunded until it is checked</source>
        <translation>整改 {number} 尚未完成：复查合格前不退保证金</translation>
    </message>
    <message>
        <source>The deposit is refunded after the final inspection</source>
        <translation>竣工验收合格后方可退还保证金</translation>
    </message>
    <message>
        <source>The deposit of {number} is refunded already</source>
        <translation>{number} 的保证金已退还</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>{name} typed a wrong password {n} times in a row and is locked: try again in {minutes} minutes, or ask an administrator to unlock {name}</source>
        <translation>{name} 已连续输错密码 {n} 次，已被锁定：请 {minutes} 分钟后再试，或请管理员为 {name} 解锁</translation>
    </message>
    <message>
        <source>Too many wrong passwords at this PC: wait {n} seconds, then try again</source>
        <translation>本机密码输错次数过多：请等 {n} 秒后再试</translation>
    </message>
    <message>
        <source>{name} is not locked</source>
        <translation>{name} 未被锁定</translation>
    </message>
    <message>
        <source>Enter a user name</source>
        <translation>请输入用户名</translation>
    </message>
    <message>
        <source>The user name {name} is taken</source>
        <translation>用户名 {name} 已被使用</translation>
    </message>
    <message>
        <source>A supervisor approves this with their own name and password</source>
        <translation>此操作需主管本人输入用户名和密码批准</translation>
    </message>
    <message>
        <source>This approval is used already or is for something else; the supervisor approves again</source>
        <translation>此批准已用过或不适用于此操作，请主管重新批准</translation>
    </message>
    <message>
        <source>The supervisor&apos;s approval has run out; the supervisor approves again</source>
        <translation>主管批准已过期，请主管重新批准</translation>
    </message>
    <message>
        <source>The password needs at least {n} characters</source>
        <translation>密码至少需要 {n} 个字符</translation>
    </message>
    <message>
        <source>Spaces only, or one character repeated, is too easy to guess: mix letters and digits</source>
        <translation>全是空格或同一个字符重复，太容易被猜到：请混用字母和数字</translation>
    </message>
    <message>
        <source>Choose at least one role</source>
        <translation>请至少选择一个角色</translation>
    </message>
    <message>
        <source>The administrator has already been set up</source>
        <translation>管理员已经设置过了</translation>
    </message>
    <message>
        <source>No such user</source>
        <translation>没有这个用户</translation>
    </message>
    <message>
        <source>You cannot take the administrator role from yourself</source>
        <translation>不能取消自己的管理员角色</translation>
    </message>
    <message>
        <source>You cannot deactivate yourself</source>
        <translation>不能停用自己</translation>
    </message>
    <message>
        <source>The current password is wrong</source>
        <translation>当前密码不正确</translation>
    </message>
    <message>
        <source>Wrong user name or password</source>
        <translation>用户名或密码错误</translation>
    </message>
    <message>
        <source>Resident ID card</source>
        <translation>居民身份证</translation>
    </message>
    <message>
        <source>Passport</source>
        <translation>护照</translation>
    </message>
    <message>
        <source>Mainland travel permit (HK/Macao)</source>
        <translation>港澳居民来往内地通行证</translation>
    </message>
    <message>
        <source>Mainland travel permit (Taiwan)</source>
        <translation>台湾居民来往大陆通行证</translation>
    </message>
    <message>
        <source>Foreigner&apos;s permanent residence ID</source>
        <translation>外国人永久居留身份证</translation>
    </message>
    <message>
        <source>Unified social credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <source>An ID number has 18 characters: 17 digits and a digit or X</source>
        <translation>身份证号为18位：17位数字加1位数字或X</translation>
    </message>
    <message>
        <source>The date of birth in this ID number does not exist</source>
        <translation>身份证号中的出生日期不存在</translation>
    </message>
    <message>
        <source>The last character of this ID number does not match; please check it</source>
        <translation>身份证号最后一位校验码不符，请核对</translation>
    </message>
    <message>
        <source>A unified social credit code has 18 digits and capital letters</source>
        <translation>统一社会信用代码为18位数字和大写字母</translation>
    </message>
    <message>
        <source>The last character of this credit code does not match; please check it</source>
        <translation>统一社会信用代码最后一位校验码不符，请核对</translation>
    </message>
    <message>
        <source>A document number has 5 to 20 letters and digits</source>
        <translation>证件号码应为5到20位字母和数字</translation>
    </message>
    <message>
        <source>A mobile number has 11 digits and starts with 13 to 19</source>
        <translation>手机号为11位，以13至19开头</translation>
    </message>
    <message>
        <source>Write a mobile number (13812345678) or a landline (0755-88886666)</source>
        <translation>请填写手机号(13812345678)或固定电话(0755-88886666)</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Rolled over</source>
        <translation>翻表</translation>
    </message>
    <message>
        <source>Meter replaced</source>
        <translation>换表</translation>
    </message>
    <message>
        <source>By floor area</source>
        <translation>按面积</translation>
    </message>
    <message>
        <source>Per household</source>
        <translation>按户</translation>
    </message>
    <message>
        <source>A reading is a whole number of units, 0 or more</source>
        <translation>读数须为不小于 0 的整数</translation>
    </message>
    <message>
        <source>A replaced meter needs the old meter&apos;s last reading and the new meter&apos;s first</source>
        <translation>换表须填写旧表止码和新表起码</translation>
    </message>
    <message>
        <source>The old meter&apos;s last reading {old} is lower than its reading last month {previous}</source>
        <translation>旧表止码 {old} 小于上月读数 {previous}</translation>
    </message>
    <message>
        <source>The reading {reading} is lower than the new meter&apos;s first reading {start}</source>
        <translation>读数 {reading} 小于新表起码 {start}</translation>
    </message>
    <message>
        <source>This meter has {digits} digits: its reading is at most {top}</source>
        <translation>此表为 {digits} 位，读数最大为 {top}</translation>
    </message>
    <message>
        <source>The reading is not lower than last month&apos;s {previous}: the meter did not roll over</source>
        <translation>读数不小于上月的 {previous},不是翻表</translation>
    </message>
    <message>
        <source>Lower than last month&apos;s reading {previous}: correct it, or mark the meter rolled over or replaced</source>
        <translation>小于上月读数 {previous}：请改正，或标记为翻表或换表</translation>
    </message>
    <message>
        <source>Usage {usage} is more than three times this house&apos;s average of {average}</source>
        <translation>用量 {usage} 超过本户月均 {average} 的三倍</translation>
    </message>
    <message>
        <source>Rolled over past {top}</source>
        <translation>已翻表（满 {top}）</translation>
    </message>
    <message>
        <source>Meter replaced: old meter to {old}, new meter from {start}</source>
        <translation>换表：旧表止码 {old},新表起码 {start}</translation>
    </message>
    <message>
        <source>{name} is not read from meters</source>
        <translation>{name}不是抄表项目</translation>
    </message>
    <message>
        <source>These readings are not of one fee item</source>
        <translation>这些读数不属于同一收费项目</translation>
    </message>
    <message>
        <source>This house is not on this item in {period}</source>
        <translation>该户在 {period} 未开通此项目</translation>
    </message>
    <message>
        <source>This reading is billed already and is kept as it is</source>
        <translation>该读数已计费，不能修改</translation>
    </message>
    <message>
        <source>{later} is read already; this month is kept as it is</source>
        <translation>{later} 已抄表，本月读数不能修改</translation>
    </message>
    <message>
        <source>A meter has 3 to 9 digits</source>
        <translation>表的位数为 3 到 9 位</translation>
    </message>
    <message>
        <source>The starting reading must fit the meter&apos;s digits</source>
        <translation>起始读数须在表的位数之内</translation>
    </message>
    <message>
        <source>Payment notice</source>
        <translation>缴款通知</translation>
    </message>
    <message>
        <source>Phone call</source>
        <translation>电话催缴</translation>
    </message>
    <message>
        <source>Dunning notice</source>
        <translation>催缴通知书</translation>
    </message>
    <message>
        <source>Promised to pay</source>
        <translation>承诺缴费</translation>
    </message>
    <message>
        <source>Reached, no promise</source>
        <translation>已接通，未承诺</translation>
    </message>
    <message>
        <source>Refuses to pay</source>
        <translation>拒缴</translation>
    </message>
    <message>
        <source>No answer</source>
        <translation>无人接听</translation>
    </message>
    <message>
        <source>Wrong or dead number</source>
        <translation>号码有误或停机</translation>
    </message>
    <message>
        <source>Nothing owed</source>
        <translation>无欠费</translation>
    </message>
    <message>
        <source>Send a payment notice</source>
        <translation>发缴款通知</translation>
    </message>
    <message>
        <source>Call the owner</source>
        <translation>电话催缴</translation>
    </message>
    <message>
        <source>Wait for the promised date</source>
        <translation>等待承诺日期</translation>
    </message>
    <message>
        <source>Send a dunning notice</source>
        <translation>发催缴通知书</translation>
    </message>
    <message>
        <source>Choose how the call went</source>
        <translation>请选择通话结果</translation>
    </message>
    <message>
        <source>Enter the date the owner promised to pay</source>
        <translation>请填写业主承诺的缴费日期</translation>
    </message>
    <message>
        <source>The promised date cannot be in the past</source>
        <translation>承诺日期不能早于今天</translation>
    </message>
    <message>
        <source>At most {n} characters</source>
        <translation>最多 {n} 个字</translation>
    </message>
    <message>
        <source>This meter has readings already; a new meter is entered as a replacement</source>
        <translation>此表已有读数；新表请按换表录入</translation>
    </message>
    <message>
        <source>&quot;{value}&quot; is not a number of this kind</source>
        <translation>“{value}”不是有效的号码</translation>
    </message>
    <message>
        <source>This ID number was stored as a number and Excel kept only its first 15 digits: format the column as text and type it again</source>
        <translation>此身份证号在 Excel 中存为数字，只保留了前 15 位：请把该列设为文本格式后重新录入</translation>
    </message>
    <message>
        <source>&quot;{value}&quot; is not a number</source>
        <translation>“{value}”不是数字</translation>
    </message>
    <message>
        <source>&quot;{value}&quot; has more than two decimals</source>
        <translation>“{value}”超过两位小数</translation>
    </message>
    <message>
        <source>The area is empty</source>
        <translation>面积为空</translation>
    </message>
    <message>
        <source>This amount is too large; please check it</source>
        <translation>金额过大，请核对</translation>
    </message>
    <message>
        <source>&quot;{value}&quot; is not a date</source>
        <translation>“{value}”不是日期</translation>
    </message>
    <message>
        <source>&quot;{value}&quot; is not a date (write it like 2020-05-01)</source>
        <translation>“{value}”不是日期（请写成 2020-05-01 的样式）</translation>
    </message>
    <message>
        <source>&quot;{value}&quot; is not a month (write it like 2026-11)</source>
        <translation>“{value}”不是月份（请写成 2026-11 的样式）</translation>
    </message>
    <message>
        <source>The building or the house number is empty</source>
        <translation>楼栋或房号为空</translation>
    </message>
    <message>
        <source>The house is empty</source>
        <translation>房号为空</translation>
    </message>
    <message>
        <source>&quot;{value}&quot; is not a house like 3-2-1201</source>
        <translation>“{value}”不是有效房号（如 3-2-1201）</translation>
    </message>
    <message>
        <source>House (房号)</source>
        <translation>房号</translation>
    </message>
    <message>
        <source>Building (楼栋), when in a column of its own</source>
        <translation>楼栋（单独一列时）</translation>
    </message>
    <message>
        <source>Unit (单元), when in a column of its own</source>
        <translation>单元（单独一列时）</translation>
    </message>
    <message>
        <source>Floor area (m²)</source>
        <translation>建筑面积（㎡）</translation>
    </message>
    <message>
        <source>Owner&apos;s name</source>
        <translation>业主姓名</translation>
    </message>
    <message>
        <source>State (未交付/空置/装修中/自住/出租)</source>
        <translation>房屋状态（未交付/空置/装修中/自住/出租）</translation>
    </message>
    <message>
        <source>Resident&apos;s name</source>
        <translation>住户姓名</translation>
    </message>
    <message>
        <source>Household member or tenant</source>
        <translation>身份（家属/租户）</translation>
    </message>
    <message>
        <source>Relation to the owner</source>
        <translation>与业主关系</translation>
    </message>
    <message>
        <source>Moved in</source>
        <translation>入住日期</translation>
    </message>
    <message>
        <source>Opening balances</source>
        <translation>期初余额（欠费、预存）</translation>
    </message>
    <message>
        <source>Fee item</source>
        <translation>收费项目</translation>
    </message>
    <message>
        <source>Arrears (yuan)</source>
        <translation>欠费金额（元）</translation>
    </message>
    <message>
        <source>Prepayment (yuan)</source>
        <translation>预存金额（元）</translation>
    </message>
    <message>
        <source>Month of account</source>
        <translation>所属期间</translation>
    </message>
    <message>
        <source>Due date</source>
        <translation>应缴日期</translation>
    </message>
    <message>
        <source>There is no import of this kind</source>
        <translation>没有这种导入</translation>
    </message>
    <message>
        <source>This file could not be read as an Excel workbook (.xlsx)</source>
        <translation>无法作为 Excel 工作簿(.xlsx)读取此文件</translation>
    </message>
    <message>
        <source>The sheet “{sheet}” reaches cell {cell}: too big for one import (at most {rows} rows and {columns} columns). Split it into smaller files, or delete what lies beyond the table.</source>
        <translation>工作表“{sheet}”的内容一直到单元格 {cell}：一次导入太大（最多 {rows} 行、{columns} 列）。请拆分成几个小文件，或删除表格以外的内容。</translation>
    </message>
    <message>
        <source>&quot;{value}&quot; has no unit: write it like 3-2-1201</source>
        <translation>“{value}”缺少单元：请写成 3-2-1201 的样式</translation>
    </message>
    <message>
        <source>The handover date {date} is in the future</source>
        <translation>交房日期 {date} 晚于今天</translation>
    </message>
    <message>
        <source>An ID number or phone is given but no owner&apos;s name</source>
        <translation>有证件号或电话，却没有业主姓名</translation>
    </message>
    <message>
        <source>{house} is in the archive with {area} m²</source>
        <translation>{house} 在档案中的面积是 {area} ㎡</translation>
    </message>
    <message>
        <source>{house} has another area on row {row}</source>
        <translation>{house} 在第 {row} 行的面积不同</translation>
    </message>
    <message>
        <source>{name} is listed twice for {house} (also on row {row})</source>
        <translation>{house} 的 {name} 重复（第 {row} 行也有）</translation>
    </message>
    <message>
        <source>{house} already has its owner {owners} in the archive; a change of owner is made there</source>
        <translation>{house} 在档案中已有业主 {owners}；更换业主请在档案中办理</translation>
    </message>
    <message>
        <source>&quot;{value}&quot; is not a state of a house (未交付/空置/装修中/自住/出租)</source>
        <translation>“{value}”不是房屋状态（未交付/空置/装修中/自住/出租）</translation>
    </message>
    <message>
        <source>&quot;{value}&quot; is neither 家属 nor 租户</source>
        <translation>“{value}”既不是家属也不是租户</translation>
    </message>
    <message>
        <source>No house {house} in the archive</source>
        <translation>档案中没有房屋 {house}</translation>
    </message>
    <message>
        <source>Match a column of arrears (欠费) or of prepayments (预存)</source>
        <translation>请为欠费或预存指定一列</translation>
    </message>
    <message>
        <source>No fee item &quot;{value}&quot; (see 收费项目)</source>
        <translation>没有收费项目“{value}”（见收费项目设置）</translation>
    </message>
    <message>
        <source>Arrears cannot be negative; put money held in the prepayment column</source>
        <translation>欠费不能为负数；多交的钱请填在预存列</translation>
    </message>
    <message>
        <source>A prepayment cannot be negative</source>
        <translation>预存金额不能为负数</translation>
    </message>
    <message>
        <source>The due date {date} is unlikely; please check it</source>
        <translation>应缴日期 {date} 不合常理，请核对</translation>
    </message>
    <message>
        <source>The opening prepayment of {house} was imported before</source>
        <translation>{house} 的期初预存已经导入过</translation>
    </message>
    <message>
        <source>{house} has an opening prepayment twice (also on row {row})</source>
        <translation>{house} 的期初预存重复（第 {row} 行也有）</translation>
    </message>
    <message>
        <source>{house} has {item} {period} twice (also on row {row})</source>
        <translation>{house} 的{item} {period} 重复（第 {row} 行也有）</translation>
    </message>
    <message>
        <source>The opening arrears of {house} for {item} {period} were imported before</source>
        <translation>{house} 的{item} {period} 期初欠费已经导入过</translation>
    </message>
    <message>
        <source>Match a column to &quot;{column}&quot;</source>
        <translation>请为“{column}”指定一列</translation>
    </message>
    <message>
        <source>One column of the sheet is matched twice</source>
        <translation>表中同一列被指定了两次</translation>
    </message>
    <message>
        <source>There are no rows under the header</source>
        <translation>表头下面没有数据</translation>
    </message>
    <message>
        <source>No header row with a house column (房号) and a reading column (本月读数) in the first 10 rows</source>
        <translation>前 10 行中找不到含房号列和本月读数列的表头</translation>
    </message>
    <message>
        <source>No house {house} on this item</source>
        <translation>此项目下没有房屋 {house}</translation>
    </message>
    <message>
        <source>{house} is listed twice (also on row {row})</source>
        <translation>{house} 重复（第 {row} 行也有）</translation>
    </message>
    <message>
        <source>&quot;{value}&quot; is not a reading (a whole number)</source>
        <translation>“{value}”不是读数（应为整数）</translation>
    </message>
    <message>
        <source>{house}: this month&apos;s reading is billed or a later month is read</source>
        <translation>{house}：本月读数已计费，或已抄以后月份</translation>
    </message>
    <message>
        <source>{name} is not a shared item</source>
        <translation>{name}不是公摊项目</translation>
    </message>
    <message>
        <source>Choose how it is shared</source>
        <translation>请选择分摊方式</translation>
    </message>
    <message>
        <source>This month&apos;s share is billed already and is kept as it is</source>
        <translation>本月公摊已计费，不能修改</translation>
    </message>
    <message>
        <source>{name} for {period} is shared over the whole estate and by building at once; enter it one way</source>
        <translation>{period} 的{name}不能同时按全小区和按楼栋分摊；请只用一种方式录入</translation>
    </message>
    <message>
        <source>No house is subscribed to {name} there in {period}</source>
        <translation>{period} 该范围内没有房屋开通{name}</translation>
    </message>
    <message>
        <source>By floor area, per month</source>
        <translation>按建筑面积，每月</translation>
    </message>
    <message>
        <source>Fixed, per month</source>
        <translation>定额，每月</translation>
    </message>
    <message>
        <source>Metered</source>
        <translation>按表计量</translation>
    </message>
    <message>
        <source>Shared utilities</source>
        <translation>公摊</translation>
    </message>
    <message>
        <source>Refundable deposit</source>
        <translation>押金（可退）</translation>
    </message>
    <message>
        <source>One-off</source>
        <translation>一次性</translation>
    </message>
    <message>
        <source>Monthly</source>
        <translation>按月</translation>
    </message>
    <message>
        <source>Yearly</source>
        <translation>按年</translation>
    </message>
    <message>
        <source>Write the month like 2026-11</source>
        <translation>月份请写成 2026-11 这样</translation>
    </message>
    <message>
        <source>There is no fee item {code}</source>
        <translation>没有收费项目 {code}</translation>
    </message>
    <message>
        <source>Tiers go up in order, each with its upper limit, and the last one has none</source>
        <translation>阶梯须由低到高，每档写上限，最后一档不写上限</translation>
    </message>
    <message>
        <source>Give the item a name</source>
        <translation>请填写项目名称</translation>
    </message>
    <message>
        <source>Only monthly, metered and shared items are subscribed to</source>
        <translation>只有按月、抄表和公摊项目可以开通</translation>
    </message>
    <message>
        <source>Enter a whole number from {low} to {high}</source>
        <translation>请输入 {low} 到 {high} 之间的整数</translation>
    </message>
    <message>
        <source>This fee no longer exists for the house</source>
        <translation>该房屋已没有这项收费</translation>
    </message>
    <message>
        <source>Enter a date</source>
        <translation>请输入日期</translation>
    </message>
    <message>
        <source>Signed in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Sign-in refused</source>
        <translation>登录失败</translation>
    </message>
    <message>
        <source>Action refused: no permission</source>
        <translation>操作被拒绝：无权限</translation>
    </message>
    <message>
        <source>User locked after wrong passwords</source>
        <translation>用户因密码输错被锁定</translation>
    </message>
    <message>
        <source>User unlocked</source>
        <translation>用户已解锁</translation>
    </message>
    <message>
        <source>Backup restored</source>
        <translation>已从备份恢复</translation>
    </message>
    <message>
        <source>Own password changed</source>
        <translation>修改本人密码</translation>
    </message>
    <message>
        <source>User added</source>
        <translation>新增用户</translation>
    </message>
    <message>
        <source>User changed</source>
        <translation>修改用户</translation>
    </message>
    <message>
        <source>Settings changed</source>
        <translation>修改设置</translation>
    </message>
    <message>
        <source>Estate profile changed</source>
        <translation>修改小区概况</translation>
    </message>
    <message>
        <source>Building added</source>
        <translation>新增楼栋</translation>
    </message>
    <message>
        <source>Building changed</source>
        <translation>修改楼栋</translation>
    </message>
    <message>
        <source>Unit added</source>
        <translation>新增单元</translation>
    </message>
    <message>
        <source>House added</source>
        <translation>新增房屋</translation>
    </message>
    <message>
        <source>House changed</source>
        <translation>修改房屋</translation>
    </message>
    <message>
        <source>House archive opened</source>
        <translation>查阅房屋档案</translation>
    </message>
    <message>
        <source>Owner added</source>
        <translation>新增业主</translation>
    </message>
    <message>
        <source>Owner changed</source>
        <translation>修改业主</translation>
    </message>
    <message>
        <source>Owner archive opened</source>
        <translation>查阅业主档案</translation>
    </message>
    <message>
        <source>ID number or phone revealed</source>
        <translation>查看证件号或电话</translation>
    </message>
    <message>
        <source>Owner linked to house</source>
        <translation>关联业主与房屋</translation>
    </message>
    <message>
        <source>Ownership ended</source>
        <translation>解除产权</translation>
    </message>
    <message>
        <source>Resident added</source>
        <translation>新增住户</translation>
    </message>
    <message>
        <source>Resident changed</source>
        <translation>修改住户</translation>
    </message>
    <message>
        <source>Resident moved out</source>
        <translation>住户迁出</translation>
    </message>
    <message>
        <source>Resident phone revealed</source>
        <translation>查看住户电话</translation>
    </message>
    <message>
        <source>Archive document changed</source>
        <translation>修改档案资料</translation>
    </message>
    <message>
        <source>Demo estate created</source>
        <translation>生成演示小区</translation>
    </message>
    <message>
        <source>Announcement made</source>
        <translation>发布通知</translation>
    </message>
    <message>
        <source>Archive cards printed or saved</source>
        <translation>打印或导出档案卡</translation>
    </message>
    <message>
        <source>Exported to a workbook</source>
        <translation>导出到 Excel 工作簿</translation>
    </message>
    <message>
        <source>Supervisor approval refused</source>
        <translation>主管审批未通过</translation>
    </message>
    <message>
        <source>Fee item changed</source>
        <translation>修改收费项目</translation>
    </message>
    <message>
        <source>Fee added to a house</source>
        <translation>房屋开通收费</translation>
    </message>
    <message>
        <source>Fee ended for a house</source>
        <translation>房屋停止收费</translation>
    </message>
    <message>
        <source>Monthly billing posted</source>
        <translation>月度计费入账</translation>
    </message>
    <message>
        <source>Charge posted</source>
        <translation>费用入账</translation>
    </message>
    <message>
        <source>Payment taken</source>
        <translation>收费</translation>
    </message>
    <message>
        <source>Receipt voided</source>
        <translation>收据作废</translation>
    </message>
    <message>
        <source>Receipt reprinted</source>
        <translation>收据补打</translation>
    </message>
    <message>
        <source>Refund paid</source>
        <translation>退款</translation>
    </message>
    <message>
        <source>Receipt numbering set</source>
        <translation>设置收据号码</translation>
    </message>
    <message>
        <source>Receipt form spoiled</source>
        <translation>收据作损</translation>
    </message>
    <message>
        <source>Late fee waived</source>
        <translation>减免违约金</translation>
    </message>
    <message>
        <source>Day closed</source>
        <translation>日结</translation>
    </message>
    <message>
        <source>Day reopened</source>
        <translation>重新打开日结</translation>
    </message>
    <message>
        <source>Meter readings entered</source>
        <translation>录入抄表读数</translation>
    </message>
    <message>
        <source>Meter details set</source>
        <translation>设置表具</translation>
    </message>
    <message>
        <source>Shared total entered</source>
        <translation>录入公摊金额</translation>
    </message>
    <message>
        <source>Invoice number recorded</source>
        <translation>登记发票号</translation>
    </message>
    <message>
        <source>Payment notices printed</source>
        <translation>打印缴款通知</translation>
    </message>
    <message>
        <source>Dunning call logged</source>
        <translation>登记催缴电话</translation>
    </message>
    <message>
        <source>Dunning notices printed</source>
        <translation>打印催缴通知书</translation>
    </message>
    <message>
        <source>Parcel taken in</source>
        <translation>代收包裹</translation>
    </message>
    <message>
        <source>Parcel refused</source>
        <translation>拒收包裹</translation>
    </message>
    <message>
        <source>Parcel picked up</source>
        <translation>包裹取件</translation>
    </message>
    <message>
        <source>Parcel owners reminded</source>
        <translation>提醒业主取件</translation>
    </message>
    <message>
        <source>Key added to the register</source>
        <translation>新增钥匙</translation>
    </message>
    <message>
        <source>Key lent</source>
        <translation>借出钥匙</translation>
    </message>
    <message>
        <source>Key returned</source>
        <translation>钥匙归还</translation>
    </message>
    <message>
        <source>Key lost</source>
        <translation>钥匙遗失</translation>
    </message>
    <message>
        <source>Key handed back to its owner</source>
        <translation>钥匙由业主领回</translation>
    </message>
    <message>
        <source>Key cabinet counted</source>
        <translation>钥匙盘点</translation>
    </message>
    <message>
        <source>Item added to the lending list</source>
        <translation>新增借用物品</translation>
    </message>
    <message>
        <source>Item lent</source>
        <translation>借出物品</translation>
    </message>
    <message>
        <source>Lent item returned</source>
        <translation>物品归还</translation>
    </message>
    <message>
        <source>Lent item lost</source>
        <translation>借用物品遗失</translation>
    </message>
    <message>
        <source>Contacts directory changed</source>
        <translation>修改通讯录</translation>
    </message>
    <message>
        <source>Price list changed</source>
        <translation>修改价目表</translation>
    </message>
    <message>
        <source>Repair reported</source>
        <translation>报修登记</translation>
    </message>
    <message>
        <source>Repair dispatched</source>
        <translation>维修派工</translation>
    </message>
    <message>
        <source>Repair completed</source>
        <translation>维修完工</translation>
    </message>
    <message>
        <source>Repair return visit</source>
        <translation>维修回访</translation>
    </message>
    <message>
        <source>Repair cancelled</source>
        <translation>维修撤销</translation>
    </message>
    <message>
        <source>Technician list changed</source>
        <translation>维修人员名单变更</translation>
    </message>
    <message>
        <source>Complaint recorded</source>
        <translation>投诉登记</translation>
    </message>
    <message>
        <source>Complaint classified</source>
        <translation>投诉分类</translation>
    </message>
    <message>
        <source>Complaint answered</source>
        <translation>投诉答复</translation>
    </message>
    <message>
        <source>Complaint handled</source>
        <translation>投诉处理</translation>
    </message>
    <message>
        <source>Complaint followed up</source>
        <translation>投诉跟进</translation>
    </message>
    <message>
        <source>Complaint reported up</source>
        <translation>投诉上报</translation>
    </message>
    <message>
        <source>Complaint closed</source>
        <translation>投诉结案</translation>
    </message>
    <message>
        <source>Visit plan made</source>
        <translation>制定走访计划</translation>
    </message>
    <message>
        <source>Owner visited</source>
        <translation>走访业主</translation>
    </message>
    <message>
        <source>Visit followed up</source>
        <translation>走访问题已跟进</translation>
    </message>
    <message>
        <source>Survey questions set</source>
        <translation>设置征询问卷</translation>
    </message>
    <message>
        <source>Survey answers entered</source>
        <translation>录入征询答卷</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Gender</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>ID document</source>
        <translation>证件类型</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Second phone</source>
        <translation>备用电话</translation>
    </message>
    <message>
        <source>Occupation</source>
        <translation>职业</translation>
    </message>
    <message>
        <source>Employer</source>
        <translation>工作单位</translation>
    </message>
    <message>
        <source>Work address</source>
        <translation>单位地址</translation>
    </message>
    <message>
        <source>Education</source>
        <translation>学历</translation>
    </message>
    <message>
        <source>Hometown</source>
        <translation>籍贯</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Use</source>
        <translation>用途</translation>
    </message>
    <message>
        <source>Property right</source>
        <translation>产权性质</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>面积</translation>
    </message>
    <message>
        <source>House number</source>
        <translation>房号</translation>
    </message>
    <message>
        <source>Floor</source>
        <translation>楼层</translation>
    </message>
    <message>
        <source>Special needs</source>
        <translation>特殊关注</translation>
    </message>
    <message>
        <source>Household notes</source>
        <translation>业主熟知</translation>
    </message>
    <message>
        <source>Handover date</source>
        <translation>交房日期</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Paper</source>
        <translation>资料</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>已收</translation>
    </message>
    <message>
        <source>Buildings</source>
        <translation>楼栋数</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>单元数</translation>
    </message>
    <message>
        <source>Houses</source>
        <translation>户数</translation>
    </message>
    <message>
        <source>Owners</source>
        <translation>业主</translation>
    </message>
    <message>
        <source>Residents</source>
        <translation>住户</translation>
    </message>
    <message>
        <source>Papers</source>
        <translation>档案资料</translation>
    </message>
    <message>
        <source>Was received</source>
        <translation>原为已收</translation>
    </message>
    <message>
        <source>How</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>Charges</source>
        <translation>费用笔数</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Payment method</source>
        <translation>付款方式</translation>
    </message>
    <message>
        <source>Approved by</source>
        <translation>审批人</translation>
    </message>
    <message>
        <source>Reprints</source>
        <translation>补打次数</translation>
    </message>
    <message>
        <source>Next number</source>
        <translation>下一个号码</translation>
    </message>
    <message>
        <source>Unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>Rounding</source>
        <translation>尾数处理</translation>
    </message>
    <message>
        <source>Tiers</source>
        <translation>阶梯</translation>
    </message>
    <message>
        <source>Tier period</source>
        <translation>阶梯周期</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>钥匙</translation>
    </message>
    <message>
        <source>Short</source>
        <translation>短缺</translation>
    </message>
    <message>
        <source>Extra</source>
        <translation>多出</translation>
    </message>
    <message>
        <source>Differences</source>
        <translation>差异</translation>
    </message>
    <message>
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <source>Appointment</source>
        <translation>约定时间</translation>
    </message>
    <message>
        <source>Owner&apos;s verdict</source>
        <translation>业主评价</translation>
    </message>
    <message>
        <source>All well</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Trade</source>
        <translation>工种</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Within the contract</source>
        <translation>属合同范围</translation>
    </message>
    <message>
        <source>Reported to</source>
        <translation>上报对象</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Answers</source>
        <translation>答案</translation>
    </message>
    <message>
        <source>Questions</source>
        <translation>问题数</translation>
    </message>
    <message>
        <source>Permission</source>
        <translation>权限</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>行数</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>筛选条件</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>扫描件</translation>
    </message>
    <message>
        <source>House</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>终止</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>业主</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Relation</source>
        <translation>关系</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>年龄</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>人口类别</translation>
    </message>
    <message>
        <source>The demo estate can only be made in an empty database</source>
        <translation>演示小区只能在空数据库中生成</translation>
    </message>
    <message>
        <source>Move-in papers</source>
        <translation>入住资料</translation>
    </message>
    <message>
        <source>Personal papers</source>
        <translation>个人资料</translation>
    </message>
    <message>
        <source>Renovation papers</source>
        <translation>装修资料</translation>
    </message>
    <message>
        <source>Inspection and repair papers</source>
        <translation>验房维修资料</translation>
    </message>
    <message>
        <source>Move-in notice</source>
        <translation>业主入住通知书</translation>
    </message>
    <message>
        <source>Copy of the purchase invoice</source>
        <translation>购房发票复印件</translation>
    </message>
    <message>
        <source>Move-in procedure form</source>
        <translation>业主入住手续书</translation>
    </message>
    <message>
        <source>Preliminary property service agreement</source>
        <translation>前期物业管理协议</translation>
    </message>
    <message>
        <source>Owners&apos; covenant</source>
        <translation>业主公约</translation>
    </message>
    <message>
        <source>Owner registration form</source>
        <translation>业主情况登记表</translation>
    </message>
    <message>
        <source>Copy of ID card and photo</source>
        <translation>身份证复印件及照片</translation>
    </message>
    <message>
        <source>Renovation application/approval</source>
        <translation>装修申请/审批表</translation>
    </message>
    <message>
        <source>Renovation management agreement</source>
        <translation>装修管理协议</translation>
    </message>
    <message>
        <source>Renovation rules acknowledged</source>
        <translation>装修注意事项</translation>
    </message>
    <message>
        <source>Fire-safety pledge</source>
        <translation>防火责任书</translation>
    </message>
    <message>
        <source>Water-proofing/pressure test slip</source>
        <translation>闭水/打压通知(签证)单</translation>
    </message>
    <message>
        <source>Rectification notice</source>
        <translation>整改通知单</translation>
    </message>
    <message>
        <source>House inspection form</source>
        <translation>验房表</translation>
    </message>
    <message>
        <source>Construction quality repair slip</source>
        <translation>工程质量维修单</translation>
    </message>
    <message>
        <source>Water cut</source>
        <translation>停水通知</translation>
    </message>
    <message>
        <source>Power cut</source>
        <translation>停电通知</translation>
    </message>
    <message>
        <source>Construction</source>
        <translation>施工通知</translation>
    </message>
    <message>
        <source>General announcement</source>
        <translation>公告</translation>
    </message>
    <message>
        <source>Choose one of the list</source>
        <translation>请从列表中选择</translation>
    </message>
    <message>
        <source>Say why (the reason is printed on the notice)</source>
        <translation>请写明原因(会印在通知上)</translation>
    </message>
    <message>
        <source>Give the start and the end</source>
        <translation>请填写开始和结束时间</translation>
    </message>
    <message>
        <source>The end must be after the start</source>
        <translation>结束时间必须晚于开始时间</translation>
    </message>
    <message>
        <source>Say which buildings are affected</source>
        <translation>请写明影响的楼栋</translation>
    </message>
    <message>
        <source>This announcement no longer exists</source>
        <translation>该通知已不存在</translation>
    </message>
    <message>
        <source>The date cannot be in the future</source>
        <translation>日期不能晚于今天</translation>
    </message>
    <message>
        <source>The scan file {name} cannot be read</source>
        <translation>无法读取扫描件 {name}</translation>
    </message>
    <message>
        <source>The scan could not be stored in {folder}: {error}</source>
        <translation>扫描件无法存入 {folder}:{error}</translation>
    </message>
    <message>
        <source>{unbilled} is not billed yet: readings for {period} wait until it is (ask whoever runs the billing)</source>
        <translation>{unbilled} 尚未计费：{period} 的读数须待其计费后录入（请联系负责计费的同事）</translation>
    </message>
    <message>
        <source>{unbilled} is not billed yet: months are billed in order, so bill {unbilled} before {period}</source>
        <translation>{unbilled} 尚未计费：计费须逐月进行，请先计 {unbilled}，再计 {period}</translation>
    </message>
    <message>
        <source>Billing began with {start}: {period} comes before it and is not billed</source>
        <translation>计费自 {start} 开始：{period} 在此之前，不予计费</translation>
    </message>
    <message>
        <source>The price of {item} for {house} is {price}, which cannot be billed; correct it on the fees page first</source>
        <translation>{house}的{item}单价为{price}，无法计费；请先在收费项目页更正</translation>
    </message>
    <message>
        <source>The charge of {item} for {house} would be {amount}, which cannot be billed; check its price</source>
        <translation>{house}的{item}费用将为{amount}，无法计费；请检查单价</translation>
    </message>
    <message>
        <source>This house no longer exists</source>
        <translation>该房屋已不存在</translation>
    </message>
    <message>
        <source>The amount must be more than zero</source>
        <translation>金额必须大于零</translation>
    </message>
    <message>
        <source>Residence</source>
        <translation>住宅</translation>
    </message>
    <message>
        <source>Shop/office</source>
        <translation>商铺/办公</translation>
    </message>
    <message>
        <source>Parking space</source>
        <translation>车位</translation>
    </message>
    <message>
        <source>Storage room</source>
        <translation>储藏室/仓库</translation>
    </message>
    <message>
        <source>Public room</source>
        <translation>公共用房</translation>
    </message>
    <message>
        <source>Commodity housing</source>
        <translation>商品房</translation>
    </message>
    <message>
        <source>Work-unit housing</source>
        <translation>单位房</translation>
    </message>
    <message>
        <source>Developer-owned</source>
        <translation>开发商产权房</translation>
    </message>
    <message>
        <source>Foreign-sale commodity housing</source>
        <translation>涉外商品房</translation>
    </message>
    <message>
        <source>Not handed over</source>
        <translation>未交付</translation>
    </message>
    <message>
        <source>Vacant</source>
        <translation>空置</translation>
    </message>
    <message>
        <source>Renovating</source>
        <translation>装修中</translation>
    </message>
    <message>
        <source>Owner-occupied</source>
        <translation>自住</translation>
    </message>
    <message>
        <source>Rented</source>
        <translation>出租</translation>
    </message>
    <message>
        <source>Write the area in m² with at most two decimals, like 89.50</source>
        <translation>面积以平方米填写，最多两位小数，如 89.50</translation>
    </message>
    <message>
        <source>The area must be greater than 0</source>
        <translation>面积必须大于0</translation>
    </message>
    <message>
        <source>This area is too large; please check it</source>
        <translation>面积过大，请核对</translation>
    </message>
    <message>
        <source>Estate name</source>
        <translation>小区名称</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Postal code</source>
        <translation>邮政编码</translation>
    </message>
    <message>
        <source>Police station</source>
        <translation>所属派出所</translation>
    </message>
    <message>
        <source>Households</source>
        <translation>总户数</translation>
    </message>
    <message>
        <source>Shops</source>
        <translation>商铺数</translation>
    </message>
    <message>
        <source>Parking spaces</source>
        <translation>车位数</translation>
    </message>
    <message>
        <source>Managed area (m²)</source>
        <translation>管理面积 (m²)</translation>
    </message>
    <message>
        <source>Nearby schools</source>
        <translation>周边学校</translation>
    </message>
    <message>
        <source>Office name</source>
        <translation>管理处名称</translation>
    </message>
    <message>
        <source>Office phone</source>
        <translation>管理处电话</translation>
    </message>
    <message>
        <source>Opening hours</source>
        <translation>办公时间</translation>
    </message>
    <message>
        <source>Office address</source>
        <translation>管理处地址</translation>
    </message>
    <message>
        <source>A postal code has 6 digits</source>
        <translation>邮政编码为6位数字</translation>
    </message>
    <message>
        <source>Use 1 to 8 letters or digits, like 3 or A</source>
        <translation>请用1到8位字母或数字，如 3 或 A</translation>
    </message>
    <message>
        <source>Building {code} already exists</source>
        <translation>楼栋 {code} 已存在</translation>
    </message>
    <message>
        <source>This building no longer exists</source>
        <translation>该楼栋已不存在</translation>
    </message>
    <message>
        <source>Unit {code} already exists in this building</source>
        <translation>本楼栋已有 {code} 单元</translation>
    </message>
    <message>
        <source>Use 1 to 8 letters or digits, like 1201</source>
        <translation>请用1到8位字母或数字，如 1201</translation>
    </message>
    <message>
        <source>This unit no longer exists</source>
        <translation>该单元已不存在</translation>
    </message>
    <message>
        <source>House {number} already exists in this unit</source>
        <translation>本单元已有房号 {number}</translation>
    </message>
    <message>
        <source>Not given</source>
        <translation>未填</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>男</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>女</translation>
    </message>
    <message>
        <source>Household member</source>
        <translation>家庭成员</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>租户</translation>
    </message>
    <message>
        <source>Local</source>
        <translation>本市</translation>
    </message>
    <message>
        <source>From elsewhere</source>
        <translation>外地</translation>
    </message>
    <message>
        <source>From abroad</source>
        <translation>境外</translation>
    </message>
    <message>
        <source>Temporary</source>
        <translation>临时</translation>
    </message>
    <message>
        <source>Spouse</source>
        <translation>配偶</translation>
    </message>
    <message>
        <source>Child</source>
        <translation>子女</translation>
    </message>
    <message>
        <source>Parent</source>
        <translation>父母</translation>
    </message>
    <message>
        <source>Relative</source>
        <translation>亲属</translation>
    </message>
    <message>
        <source>Water</source>
        <translation>供水</translation>
    </message>
    <message>
        <source>Power</source>
        <translation>供电</translation>
    </message>
    <message>
        <source>Gas</source>
        <translation>燃气</translation>
    </message>
    <message>
        <source>Heating</source>
        <translation>供暖</translation>
    </message>
    <message>
        <source>Police</source>
        <translation>派出所</translation>
    </message>
    <message>
        <source>Cable TV</source>
        <translation>有线电视</translation>
    </message>
    <message>
        <source>Telephone and network</source>
        <translation>电话和网络</translation>
    </message>
    <message>
        <source>Kindergarten and schools</source>
        <translation>幼儿园和学校</translation>
    </message>
    <message>
        <source>Locksmith</source>
        <translation>开锁</translation>
    </message>
    <message>
        <source>Movers</source>
        <translation>搬家</translation>
    </message>
    <message>
        <source>Post office</source>
        <translation>邮局</translation>
    </message>
    <message>
        <source>Hospital</source>
        <translation>医院</translation>
    </message>
    <message>
        <source>Recycling</source>
        <translation>废品回收</translation>
    </message>
    <message>
        <source>Estate contractors</source>
        <translation>小区施工单位</translation>
    </message>
    <message>
        <source>Pump room</source>
        <translation>泵房</translation>
    </message>
    <message>
        <source>Water pump</source>
        <translation>水泵</translation>
    </message>
    <message>
        <source>Lift</source>
        <translation>电梯</translation>
    </message>
    <message>
        <source>Fire hydrant</source>
        <translation>消火栓</translation>
    </message>
    <message>
        <source>Fire extinguisher</source>
        <translation>灭火器</translation>
    </message>
    <message>
        <source>Main valve</source>
        <translation>总阀门</translation>
    </message>
    <message>
        <source>Street light</source>
        <translation>路灯</translation>
    </message>
    <message>
        <source>Stair light</source>
        <translation>楼道灯</translation>
    </message>
    <message>
        <source>Meter</source>
        <translation>计量表</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Out of order</source>
        <translation>故障</translation>
    </message>
    <message>
        <source>Fixed</source>
        <translation>已修复</translation>
    </message>
    <message>
        <source>Maintained</source>
        <translation>已保养</translation>
    </message>
    <message>
        <source>Name it: 2号楼1号电梯</source>
        <translation>请填写名称，如 2号楼1号电梯</translation>
    </message>
    <message>
        <source>Write where it is</source>
        <translation>请填写位置</translation>
    </message>
    <message>
        <source>Not later than today</source>
        <translation>不能晚于今天</translation>
    </message>
    <message>
        <source>{n} of them are out of order: at least that many</source>
        <translation>其中 {n} 台/件故障中，数量不能少于此数</translation>
    </message>
    <message>
        <source>This facility is not in the register</source>
        <translation>设施台账中没有这项设施</translation>
    </message>
    <message>
        <source>Write what is wrong</source>
        <translation>请填写故障情况</translation>
    </message>
    <message>
        <source>{name} has {count} units, {faulty} of them out of order already</source>
        <translation>{name} 共 {count} 台/件，已有 {faulty} 台/件故障</translation>
    </message>
    <message>
        <source>No such repair order</source>
        <translation>没有这张维修单</translation>
    </message>
    <message>
        <source>Only {n} are out of order</source>
        <translation>只有 {n} 台/件在故障中</translation>
    </message>
    <message>
        <source>Enter the name</source>
        <translation>请填写名称</translation>
    </message>
    <message>
        <source>Enter the phone number</source>
        <translation>请填写电话号码</translation>
    </message>
    <message>
        <source>This contact no longer exists</source>
        <translation>此联系人已不存在</translation>
    </message>
    <message>
        <source>Give a price, or write how it is charged</source>
        <translation>请填写价格，或说明收费方式</translation>
    </message>
    <message>
        <source>This price no longer exists</source>
        <translation>此价格已不存在</translation>
    </message>
    <message>
        <source>Primary school</source>
        <translation>小学</translation>
    </message>
    <message>
        <source>Middle school</source>
        <translation>初中</translation>
    </message>
    <message>
        <source>High school</source>
        <translation>高中/中专</translation>
    </message>
    <message>
        <source>College</source>
        <translation>大专</translation>
    </message>
    <message>
        <source>Bachelor</source>
        <translation>本科</translation>
    </message>
    <message>
        <source>Master or above</source>
        <translation>硕士及以上</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Enquiry</source>
        <translation>咨询</translation>
    </message>
    <message>
        <source>Suggestion</source>
        <translation>建议</translation>
    </message>
    <message>
        <source>Praise</source>
        <translation>表扬</translation>
    </message>
    <message>
        <source>Letter</source>
        <translation>信函</translation>
    </message>
    <message>
        <source>Major</source>
        <translation>重大</translation>
    </message>
    <message>
        <source>Important</source>
        <translation>重要</translation>
    </message>
    <message>
        <source>Minor</source>
        <translation>一般</translation>
    </message>
    <message>
        <source>Recorded</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Classified</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>First answer</source>
        <translation>首次答复</translation>
    </message>
    <message>
        <source>Clear answer</source>
        <translation>明确答复</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>上报</translation>
    </message>
    <message>
        <source>Handled</source>
        <translation>处理</translation>
    </message>
    <message>
        <source>Followed up</source>
        <translation>跟进</translation>
    </message>
    <message>
        <source>Summarised</source>
        <translation>总结</translation>
    </message>
    <message>
        <source>This complaint no longer exists</source>
        <translation>该投诉已不存在</translation>
    </message>
    <message>
        <source>{number} is closed</source>
        <translation>{number} 已结案</translation>
    </message>
    <message>
        <source>Enter the owner&apos;s name</source>
        <translation>请输入业主姓名</translation>
    </message>
    <message>
        <source>Write down what happened</source>
        <translation>请记录事情经过</translation>
    </message>
    <message>
        <source>It cannot have happened in the future</source>
        <translation>发生时间不能晚于现在</translation>
    </message>
    <message>
        <source>The time the owner asks for is still to come</source>
        <translation>业主要求的时间应在现在之后</translation>
    </message>
    <message>
        <source>Say why it is outside the service contract: the owner is told</source>
        <translation>请写明不属于服务合同范围的原因（将告知业主）</translation>
    </message>
    <message>
        <source>Write what was done</source>
        <translation>请填写处理情况</translation>
    </message>
    <message>
        <source>Say to whom it was reported</source>
        <translation>请填写上报对象</translation>
    </message>
    <message>
        <source>Write the result the owner was told</source>
        <translation>请填写告知业主的处理结果</translation>
    </message>
    <message>
        <source>{number} is {owner}&apos;s until it is closed: they close it, or a supervisor</source>
        <translation>{number} 由 {owner} 负责至结案：须由其本人或主管结案</translation>
    </message>
    <message>
        <source>Write the summary</source>
        <translation>请填写总结</translation>
    </message>
    <message>
        <source>{number} is summarised once it is closed</source>
        <translation>{number} 须结案后再总结</translation>
    </message>
    <message>
        <source>Reported up</source>
        <translation>上报</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>解决</translation>
    </message>
    <message>
        <source>This owner no longer exists</source>
        <translation>该业主已不存在</translation>
    </message>
    <message>
        <source>{name} already owns this house</source>
        <translation>{name} 已是本房屋的业主</translation>
    </message>
    <message>
        <source>This ownership has already ended</source>
        <translation>该产权关系已解除</translation>
    </message>
    <message>
        <source>The end date is before the start date</source>
        <translation>终止日期早于起始日期</translation>
    </message>
    <message>
        <source>Enter the resident&apos;s name</source>
        <translation>请输入住户姓名</translation>
    </message>
    <message>
        <source>Enter an age between 0 and 130</source>
        <translation>年龄应在0到130之间</translation>
    </message>
    <message>
        <source>This resident no longer exists</source>
        <translation>该住户已不存在</translation>
    </message>
    <message>
        <source>This resident has already moved out</source>
        <translation>该住户已迁出</translation>
    </message>
    <message>
        <source>The move-out date is before the move-in date</source>
        <translation>迁出日期早于入住日期</translation>
    </message>
    <message>
        <source>Printed</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>Saved as PDF</source>
        <translation>存为 PDF</translation>
    </message>
    <message>
        <source>This record no longer exists</source>
        <translation>该记录已不存在</translation>
    </message>
    <message>
        <source>view the archives</source>
        <translation>查看档案</translation>
    </message>
    <message>
        <source>change the archives</source>
        <translation>修改档案</translation>
    </message>
    <message>
        <source>change the estate&apos;s buildings and houses</source>
        <translation>修改楼栋和房屋</translation>
    </message>
    <message>
        <source>see full ID numbers and phones</source>
        <translation>查看完整证件号和电话</translation>
    </message>
    <message>
        <source>read the audit log</source>
        <translation>查看操作日志</translation>
    </message>
    <message>
        <source>manage users</source>
        <translation>管理用户</translation>
    </message>
    <message>
        <source>change the office settings</source>
        <translation>修改办公设置</translation>
    </message>
    <message>
        <source>make announcements</source>
        <translation>发布通知</translation>
    </message>
    <message>
        <source>see what houses owe</source>
        <translation>查看欠费</translation>
    </message>
    <message>
        <source>set up fee items and prices</source>
        <translation>设置收费项目和单价</translation>
    </message>
    <message>
        <source>run the monthly billing</source>
        <translation>进行月度计费</translation>
    </message>
    <message>
        <source>take payments</source>
        <translation>收费</translation>
    </message>
    <message>
        <source>take the front desk&apos;s fees and close your day</source>
        <translation>收取前台费用并日结</translation>
    </message>
    <message>
        <source>approve voids, refunds, waivers and back-dated payments</source>
        <translation>审批作废、退款、减免和补录收费</translation>
    </message>
    <message>
        <source>enter meter readings</source>
        <translation>录入抄表读数</translation>
    </message>
    <message>
        <source>send payment notices and log dunning calls</source>
        <translation>发缴款通知和登记催缴电话</translation>
    </message>
    <message>
        <source>take in and hand over parcels</source>
        <translation>代收和发放包裹</translation>
    </message>
    <message>
        <source>lend keys and items, and keep their registers</source>
        <translation>借出钥匙和物品并管理其登记</translation>
    </message>
    <message>
        <source>take in repairs and complaints and follow them up</source>
        <translation>受理报修和投诉并跟进</translation>
    </message>
    <message>
        <source>manage technicians, visit plans and the survey</source>
        <translation>管理维修人员、走访计划和满意度调查</translation>
    </message>
    <message>
        <source>back up the office&apos;s data</source>
        <translation>备份物业数据</translation>
    </message>
    <message>
        <source>restore a backup</source>
        <translation>恢复备份</translation>
    </message>
    <message>
        <source>You may not {permission}; please ask a supervisor</source>
        <translation>您没有权限{permission},请找主管办理</translation>
    </message>
    <message>
        <source>A4</source>
        <translation>A4</translation>
    </message>
    <message>
        <source>A5</source>
        <translation>A5</translation>
    </message>
    <message>
        <source>Continuous form 241 × 279.4 mm</source>
        <translation>连续纸 241 × 279.4 mm</translation>
    </message>
    <message>
        <source>Continuous form 241 × 139.7 mm (half)</source>
        <translation>连续纸 241 × 139.7 mm(二等分)</translation>
    </message>
    <message>
        <source>Continuous form 241 × 93.1 mm (third)</source>
        <translation>连续纸 241 × 93.1 mm(三等分)</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <source>WeChat Pay</source>
        <translation>微信</translation>
    </message>
    <message>
        <source>Alipay</source>
        <translation>支付宝</translation>
    </message>
    <message>
        <source>Bank card</source>
        <translation>刷卡</translation>
    </message>
    <message>
        <source>Bank transfer</source>
        <translation>转账</translation>
    </message>
    <message>
        <source>The next number must be after {used}, the last one used</source>
        <translation>下一个号码必须大于已用的最后一个号码 {used}</translation>
    </message>
    <message>
        <source>Say what happened to the form</source>
        <translation>请说明这张票据怎么了</translation>
    </message>
    <message>
        <source>The day {date} is closed for {name}; a supervisor can reopen it</source>
        <translation>{name} 的 {date} 已日结；如需更改请主管重新打开</translation>
    </message>
    <message>
        <source>A payment cannot be dated in the future</source>
        <translation>收费日期不能晚于今天</translation>
    </message>
    <message>
        <source>A back-dated payment needs a supervisor&apos;s approval</source>
        <translation>补录以前日期的收费需要主管审批</translation>
    </message>
    <message>
        <source>The amount cannot be negative</source>
        <translation>金额不能为负数</translation>
    </message>
    <message>
        <source>The same charge is chosen twice; choose each charge once</source>
        <translation>同一笔费用选了两次，每笔费用只能选一次</translation>
    </message>
    <message>
        <source>A chosen charge is already paid or is not this house&apos;s; look at the list again</source>
        <translation>所选的某笔费用已付清或不属于该户，请重新查看列表</translation>
    </message>
    <message>
        <source>Choose a deposit of the list</source>
        <translation>请从列表中选择押金项目</translation>
    </message>
    <message>
        <source>Choose a one-off fee item of the list</source>
        <translation>请从列表中选择一次性收费项目</translation>
    </message>
    <message>
        <source>Pay between 0.01 and {most} for {item}</source>
        <translation>{item} 请交 0.01 到 {most} 元</translation>
    </message>
    <message>
        <source>Nothing to pay: choose what is paid</source>
        <translation>没有要收的钱：请选择所交的费用</translation>
    </message>
    <message>
        <source>The amount to pay is now {total}, not the {shown} shown: look at it again</source>
        <translation>应付金额已变为 {total}，不是显示的 {shown}：请重新核对</translation>
    </message>
    <message>
        <source>{given} is less than the {total} to pay</source>
        <translation>实收 {given} 元少于应收 {total} 元</translation>
    </message>
    <message>
        <source>This receipt does not exist</source>
        <translation>该收据不存在</translation>
    </message>
    <message>
        <source>No receipt has the number {number}</source>
        <translation>没有编号为 {number} 的收据</translation>
    </message>
    <message>
        <source>Late fee</source>
        <translation>违约金</translation>
    </message>
    <message>
        <source>Prepayment</source>
        <translation>预存款</translation>
    </message>
    <message>
        <source>Deposit</source>
        <translation>押金</translation>
    </message>
    <message>
        <source>Deposit paid back</source>
        <translation>退还押金</translation>
    </message>
    <message>
        <source>Prepayment paid back</source>
        <translation>退还预存款</translation>
    </message>
    <message>
        <source>Say why the receipt is voided</source>
        <translation>请填写作废原因</translation>
    </message>
    <message>
        <source>Receipt {number} is already void</source>
        <translation>收据 {number} 已经作废</translation>
    </message>
    <message>
        <source>The money this receipt put on the house&apos;s balance has been used since; void the later use first or refund instead</source>
        <translation>这张收据存入的预存款已被使用；请先作废后来的使用，或改为退款</translation>
    </message>
    <message>
        <source>An invoice number is {low} to {high} digits or letters</source>
        <translation>发票号码为 {low} 至 {high} 位数字或字母</translation>
    </message>
    <message>
        <source>Receipt {number} is void; no invoice goes with it</source>
        <translation>收据 {number} 已作废，不能登记发票</translation>
    </message>
    <message>
        <source>Invoice {invoice} is recorded on receipt {number} already</source>
        <translation>发票 {invoice} 已登记在收据 {number} 上</translation>
    </message>
    <message>
        <source>Say why the late fee is waived</source>
        <translation>请填写减免违约金的原因</translation>
    </message>
    <message>
        <source>This charge no longer exists</source>
        <translation>该笔费用已不存在</translation>
    </message>
    <message>
        <source>The late fee to date is {late}; waive at most that</source>
        <translation>到今天的违约金为 {late} 元，减免不能超过此数</translation>
    </message>
    <message>
        <source>A deduction says what it is for</source>
        <translation>扣款须说明原因</translation>
    </message>
    <message>
        <source>Only a deposit has deductions</source>
        <translation>只有押金可以扣款</translation>
    </message>
    <message>
        <source>The house has {held} of this; refund at most that</source>
        <translation>该户此项余额为 {held} 元，退款不能超过此数</translation>
    </message>
    <message>
        <source>The deductions come to {kept}, more than the {held} deposit</source>
        <translation>扣款合计 {kept}，超过保证金 {held}</translation>
    </message>
    <message>
        <source>The fee item for deposit deductions is missing</source>
        <translation>缺少“保证金扣款”收费项目</translation>
    </message>
    <message>
        <source>The cash differs from the books by {difference}: say why</source>
        <translation>现金与账面相差 {difference} 元，请说明原因</translation>
    </message>
    <message>
        <source>Say why the day is reopened</source>
        <translation>请填写重新打开的原因</translation>
    </message>
    <message>
        <source>That day is not closed</source>
        <translation>这一天还没有日结</translation>
    </message>
    <message>
        <source>Enter a whole number</source>
        <translation>请输入整数</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>待取</translation>
    </message>
    <message>
        <source>Picked up</source>
        <translation>已取</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>拒收</translation>
    </message>
    <message>
        <source>No free pickup code; try again</source>
        <translation>没有可用的取件码，请重试</translation>
    </message>
    <message>
        <source>The tracking number does not say the courier: choose it</source>
        <translation>单号看不出快递公司：请选择</translation>
    </message>
    <message>
        <source>Choose the house the parcel is for</source>
        <translation>请选择包裹所属房屋</translation>
    </message>
    <message>
        <source>Scan or type the tracking number</source>
        <translation>请扫描或输入快递单号</translation>
    </message>
    <message>
        <source>Say which shelf it goes on</source>
        <translation>请填写货架位置</translation>
    </message>
    <message>
        <source>Tick it once you have checked it is neither fragile nor valuable; otherwise refuse it</source>
        <translation>确认既非易碎品也非贵重物品后请勾选；否则请拒收</translation>
    </message>
    <message>
        <source>A parcel with this tracking number is already waiting</source>
        <translation>此单号的包裹已在待取中</translation>
    </message>
    <message>
        <source>Say why the parcel is refused</source>
        <translation>请填写拒收原因</translation>
    </message>
    <message>
        <source>No parcel is waiting with the code {code}</source>
        <translation>没有取件码为 {code} 的待取包裹</translation>
    </message>
    <message>
        <source>Enter the name of who picks it up</source>
        <translation>请填写代取人姓名</translation>
    </message>
    <message>
        <source>Enter the ID number of who picks it up</source>
        <translation>请填写代取人身份证号</translation>
    </message>
    <message>
        <source>This parcel no longer exists</source>
        <translation>此包裹已不存在</translation>
    </message>
    <message>
        <source>Parcel {tracking} is not waiting: it was {state}</source>
        <translation>包裹 {tracking} 不在待取状态（{state}）</translation>
    </message>
    <message>
        <source>Say why the storage fee is waived</source>
        <translation>请填写减免保管费的原因</translation>
    </message>
    <message>
        <source>Label roll 60 × 40 mm</source>
        <translation>标签卷 60 × 40 mm</translation>
    </message>
    <message>
        <source>A4 label sheet, 3 × 8</source>
        <translation>A4 标签纸 3 × 8</translation>
    </message>
    <message>
        <source>Public part</source>
        <translation>公共部位</translation>
    </message>
    <message>
        <source>House in custody</source>
        <translation>托管房屋</translation>
    </message>
    <message>
        <source>Resident</source>
        <translation>住户</translation>
    </message>
    <message>
        <source>Owner&apos;s delegate</source>
        <translation>业主受托人</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>员工</translation>
    </message>
    <message>
        <source>Contractor</source>
        <translation>施工方</translation>
    </message>
    <message>
        <source>By phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>In person</source>
        <translation>当面</translation>
    </message>
    <message>
        <source>By message</source>
        <translation>短信/微信</translation>
    </message>
    <message>
        <source>Out</source>
        <translation>借出中</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>已归还</translation>
    </message>
    <message>
        <source>Lost</source>
        <translation>遗失</translation>
    </message>
    <message>
        <source>Handed back for good</source>
        <translation>业主领回</translation>
    </message>
    <message>
        <source>Give the key its tag number</source>
        <translation>请填写钥匙牌号</translation>
    </message>
    <message>
        <source>Tag {tag} is on another key already</source>
        <translation>牌号 {tag} 已用于另一把钥匙</translation>
    </message>
    <message>
        <source>Say what the key opens</source>
        <translation>请填写钥匙开启的部位</translation>
    </message>
    <message>
        <source>Choose the house the key opens</source>
        <translation>请填写钥匙所属房屋</translation>
    </message>
    <message>
        <source>A public part&apos;s key has a keeper who approves its loans</source>
        <translation>公共部位钥匙须有负责人审批借用</translation>
    </message>
    <message>
        <source>Anyone but the owner shows an ID card: enter its number</source>
        <translation>业主以外的人须出示身份证：请输入证件号码</translation>
    </message>
    <message>
        <source>An ID document&apos;s number has at least 6 letters and digits</source>
        <translation>证件号码至少为 6 位字母或数字</translation>
    </message>
    <message>
        <source>Anyone but the owner needs the owner&apos;s key authorisation letter (钥匙委托书)</source>
        <translation>业主以外的人须持业主的钥匙委托书</translation>
    </message>
    <message>
        <source>No owner is on file for this house: whoever takes the key brings the owner&apos;s letter</source>
        <translation>本户档案中没有业主：取钥匙者须持业主委托书</translation>
    </message>
    <message>
        <source>The owner shows an ID card: enter its number</source>
        <translation>业主须出示身份证件：请输入证件号码</translation>
    </message>
    <message>
        <source>This ID number is not the one on file for {name}</source>
        <translation>该证件号码与档案中{name}的证件号码不符</translation>
    </message>
    <message>
        <source>Choose who borrows the key</source>
        <translation>请选择借用人身份</translation>
    </message>
    <message>
        <source>Enter the borrower&apos;s name</source>
        <translation>请填写借用人姓名</translation>
    </message>
    <message>
        <source>Confirm with the owner first, and record how and when</source>
        <translation>请先与业主确认，并记录确认方式和时间</translation>
    </message>
    <message>
        <source>The owner&apos;s confirmation cannot be later than now</source>
        <translation>业主确认时间不能晚于现在</translation>
    </message>
    <message>
        <source>{name} is not an owner of this house on file ({owners}); anyone else needs the owner&apos;s letter and confirmation</source>
        <translation>{name} 不是档案中本房屋的业主（{owners}）；其他人须持业主委托书并经业主确认</translation>
    </message>
    <message>
        <source>The owner&apos;s standing authorisation names {name} with this ID number</source>
        <translation>业主常年委托中此身份证号对应的是 {name}</translation>
    </message>
    <message>
        <source>A public part&apos;s key needs the approval of its keeper, {keeper}</source>
        <translation>公共部位钥匙须经负责人 {keeper} 批准</translation>
    </message>
    <message>
        <source>This key is not in the register</source>
        <translation>钥匙登记中没有这把钥匙</translation>
    </message>
    <message>
        <source>Every copy of key {tag} is out</source>
        <translation>钥匙 {tag} 已全部借出</translation>
    </message>
    <message>
        <source>Enter the name the owner gives</source>
        <translation>请输入业主委托人的姓名</translation>
    </message>
    <message>
        <source>This ID number is on the house&apos;s standing authorisation already</source>
        <translation>此身份证号已在本房屋的常年委托中</translation>
    </message>
    <message>
        <source>This person is not on the standing authorisation</source>
        <translation>此人不在常年委托中</translation>
    </message>
    <message>
        <source>This loan no longer exists</source>
        <translation>此借用记录已不存在</translation>
    </message>
    <message>
        <source>This key is not out on this loan</source>
        <translation>此钥匙不在借出状态</translation>
    </message>
    <message>
        <source>Say what happened</source>
        <translation>请说明情况</translation>
    </message>
    <message>
        <source>Name the person responsible for the keys</source>
        <translation>请填写钥匙负责人</translation>
    </message>
    <message>
        <source>Count every key; not counted: {tags}</source>
        <translation>每把钥匙都要盘点；未盘点：{tags}</translation>
    </message>
    <message>
        <source>A count is a whole number from 0 to 99</source>
        <translation>数量应为 0 到 99 的整数</translation>
    </message>
    <message>
        <source>No house {text}</source>
        <translation>没有房屋 {text}</translation>
    </message>
    <message>
        <source>The signature could not be kept; sign again</source>
        <translation>签名无法保存，请重新签名</translation>
    </message>
    <message>
        <source>Give the item its tag number</source>
        <translation>请填写物品编号</translation>
    </message>
    <message>
        <source>Tag {tag} is on another item already</source>
        <translation>编号 {tag} 已用于另一件物品</translation>
    </message>
    <message>
        <source>Say what the item is</source>
        <translation>请填写物品名称</translation>
    </message>
    <message>
        <source>Write down the item&apos;s condition, checked with the borrower</source>
        <translation>请填写与借用人当面查验的物品状况</translation>
    </message>
    <message>
        <source>This item is not in the list</source>
        <translation>物品清单中没有此物品</translation>
    </message>
    <message>
        <source>{name} ({tag}) is lent out already</source>
        <translation>{name}（{tag}）已借出</translation>
    </message>
    <message>
        <source>This item is not out on this loan</source>
        <translation>此物品不在借出状态</translation>
    </message>
    <message>
        <source>Plumbing</source>
        <translation>给排水</translation>
    </message>
    <message>
        <source>Electrics</source>
        <translation>电路</translation>
    </message>
    <message>
        <source>Doors and windows</source>
        <translation>门窗</translation>
    </message>
    <message>
        <source>Leak</source>
        <translation>渗漏</translation>
    </message>
    <message>
        <source>Safety installation</source>
        <translation>安全设施</translation>
    </message>
    <message>
        <source>Public installation</source>
        <translation>公共设施</translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation>紧急</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>来访</translation>
    </message>
    <message>
        <source>Waiting for dispatch</source>
        <translation>待派工</translation>
    </message>
    <message>
        <source>Dispatched</source>
        <translation>已派工</translation>
    </message>
    <message>
        <source>Done, visit due</source>
        <translation>已完工待回访</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已结案</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已撤销</translation>
    </message>
    <message>
        <source>Satisfied</source>
        <translation>满意</translation>
    </message>
    <message>
        <source>Fair</source>
        <translation>基本满意</translation>
    </message>
    <message>
        <source>Unsatisfied</source>
        <translation>不满意</translation>
    </message>
    <message>
        <source>This repair no longer exists</source>
        <translation>该报修单已不存在</translation>
    </message>
    <message>
        <source>No repair order has the number {number}</source>
        <translation>没有编号为 {number} 的维修单</translation>
    </message>
    <message>
        <source>Repair {number} is {state}: this step does not apply</source>
        <translation>报修单 {number} 当前为“{state}”，不能进行此操作</translation>
    </message>
    <message>
        <source>Enter the technician&apos;s name</source>
        <translation>请填写维修人员姓名</translation>
    </message>
    <message>
        <source>No such house</source>
        <translation>没有此房屋</translation>
    </message>
    <message>
        <source>Enter who reports it</source>
        <translation>请填写报修人</translation>
    </message>
    <message>
        <source>Say what needs repairing</source>
        <translation>请填写报修内容</translation>
    </message>
    <message>
        <source>Say where: the house, or the place in the estate</source>
        <translation>请填写地点：房号或小区内的位置</translation>
    </message>
    <message>
        <source>Write what the owner was told</source>
        <translation>请填写答复业主的内容</translation>
    </message>
    <message>
        <source>Found on an inspection</source>
        <translation>巡查发现</translation>
    </message>
    <message>
        <source>Found at the handover inspection</source>
        <translation>验房发现</translation>
    </message>
    <message>
        <source>Choose a technician</source>
        <translation>请选择维修人员</translation>
    </message>
    <message>
        <source>The time promised to the owner cannot be past</source>
        <translation>约定时间不能早于现在</translation>
    </message>
    <message>
        <source>A rework goes back to the technician who did the job</source>
        <translation>返修须由原维修人员处理</translation>
    </message>
    <message>
        <source>Choose priced services of the price list</source>
        <translation>请选择价目表中有定价的服务项目</translation>
    </message>
    <message>
        <source>A quantity is a whole number from 1</source>
        <translation>数量应为不小于 1 的整数</translation>
    </message>
    <message>
        <source>The job cannot be done in the future</source>
        <translation>完工时间不能晚于现在</translation>
    </message>
    <message>
        <source>The leak test cannot be in the future</source>
        <translation>闭水试验时间不能晚于现在</translation>
    </message>
    <message>
        <source>The job cannot be done before it was dispatched</source>
        <translation>完工时间不能早于派工时间</translation>
    </message>
    <message>
        <source>A leak&apos;s return visit counts from its leak test: enter when it was done</source>
        <translation>渗漏维修的回访从闭水试验起算：请填写试验时间</translation>
    </message>
    <message>
        <source>A paid repair is charged to a house: this one has none</source>
        <translation>有偿维修须记入房屋费用：此单没有房屋</translation>
    </message>
    <message>
        <source>Say what is still wrong</source>
        <translation>请填写仍存在的问题</translation>
    </message>
    <message>
        <source>Say why the repair is cancelled</source>
        <translation>请填写撤销原因</translation>
    </message>
    <message>
        <source>Answer about dispatch</source>
        <translation>答复派工</translation>
    </message>
    <message>
        <source>Repair promised</source>
        <translation>约定维修</translation>
    </message>
    <message>
        <source>Return visit</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>First answer to the complaint</source>
        <translation>投诉首次答复</translation>
    </message>
    <message>
        <source>Report the complaint up</source>
        <translation>投诉上报</translation>
    </message>
    <message>
        <source>Clear answer to the complaint</source>
        <translation>投诉明确答复</translation>
    </message>
    <message>
        <source>Resolve the complaint</source>
        <translation>投诉解决</translation>
    </message>
    <message>
        <source>Inspect the vacant house</source>
        <translation>巡查空置房</translation>
    </message>
    <message>
        <source>Renovation: check the rectification</source>
        <translation>装修：复查整改</translation>
    </message>
    <message>
        <source>Renovation past its end</source>
        <translation>装修超期</translation>
    </message>
    <message>
        <source>Works out of hours</source>
        <translation>非允许时间施工</translation>
    </message>
    <message>
        <source>Renovation: debris taken away?</source>
        <translation>装修：垃圾是否清运</translation>
    </message>
    <message>
        <source>Read the waterproofing test</source>
        <translation>查验闭水试验</translation>
    </message>
    <message>
        <source>Move-in waiting</source>
        <translation>入住待办</translation>
    </message>
    <message>
        <source>No problem</source>
        <translation>无问题</translation>
    </message>
    <message>
        <source>Repairs</source>
        <translation>维修</translation>
    </message>
    <message>
        <source>Cleaning</source>
        <translation>保洁</translation>
    </message>
    <message>
        <source>Greenery</source>
        <translation>绿化</translation>
    </message>
    <message>
        <source>Security</source>
        <translation>安保</translation>
    </message>
    <message>
        <source>Parking</source>
        <translation>停车</translation>
    </message>
    <message>
        <source>Noise</source>
        <translation>噪音</translation>
    </message>
    <message>
        <source>Fees</source>
        <translation>收费</translation>
    </message>
    <message>
        <source>Staff and service</source>
        <translation>员工与服务</translation>
    </message>
    <message>
        <source>Score 1–5</source>
        <translation>评分 1–5</translation>
    </message>
    <message>
        <source>Yes or no</source>
        <translation>是/否</translation>
    </message>
    <message>
        <source>Words</source>
        <translation>文字</translation>
    </message>
    <message>
        <source>Write the month as 2026-11</source>
        <translation>月份请写成 2026-11</translation>
    </message>
    <message>
        <source>Choose the clerk</source>
        <translation>请选择客服人员</translation>
    </message>
    <message>
        <source>Choose the building</source>
        <translation>请选择楼栋</translation>
    </message>
    <message>
        <source>This building is on the clerk&apos;s plan for the month already</source>
        <translation>该楼栋已在该客服本月的走访计划中</translation>
    </message>
    <message>
        <source>Write down the owner&apos;s opinion</source>
        <translation>请记录业主意见</translation>
    </message>
    <message>
        <source>Say what will be done about the problem</source>
        <translation>请填写对该问题的跟进措施</translation>
    </message>
    <message>
        <source>A visit cannot be in the future</source>
        <translation>走访时间不能晚于现在</translation>
    </message>
    <message>
        <source>This visit no longer exists</source>
        <translation>该走访记录已不存在</translation>
    </message>
    <message>
        <source>Give the survey a title</source>
        <translation>请填写问卷标题</translation>
    </message>
    <message>
        <source>Write at least one question</source>
        <translation>请至少填写一个问题</translation>
    </message>
    <message>
        <source>Answers to the {year} survey are in: its questions can no longer change</source>
        <translation>{year} 年问卷已有答卷，问题不能再修改</translation>
    </message>
    <message>
        <source>This question is not in the survey</source>
        <translation>该问题不在问卷中</translation>
    </message>
    <message>
        <source>Question {n}: a score from 1 to 5</source>
        <translation>第 {n} 题：请评 1 到 5 分</translation>
    </message>
    <message>
        <source>Question {n}: yes or no</source>
        <translation>第 {n} 题：请选择是或否</translation>
    </message>
    <message>
        <source>Key not back</source>
        <translation>钥匙逾期未还</translation>
    </message>
    <message>
        <source>Lent item not back</source>
        <translation>借用物品逾期未还</translation>
    </message>
    <message>
        <source>Parcel waiting past the free time</source>
        <translation>包裹超过免费保管时间</translation>
    </message>
    <message>
        <source>Shift handover to take over</source>
        <translation>交接班待接班确认</translation>
    </message>
    <message>
        <source>Visitor still inside</source>
        <translation>访客尚未离开</translation>
    </message>
    <message>
        <source>Today&apos;s patrol</source>
        <translation>今日巡查</translation>
    </message>
    <message>
        <source>Facilities intact below the target</source>
        <translation>设施完好率低于目标</translation>
    </message>
    <message>
        <source>Facility maintenance due</source>
        <translation>设施到期保养</translation>
    </message>
    <message>
        <source>Facility past its date</source>
        <translation>设施已过有效期</translation>
    </message>
    <message>
        <source>Incident open</source>
        <translation>突发事件未结案</translation>
    </message>
    <message>
        <source>Back up the office</source>
        <translation>数据备份</translation>
    </message>
    <message>
        <source>Last night&apos;s backup did not come</source>
        <translation>昨晚未自动备份</translation>
    </message>
    <message>
        <source>The database failed its daily self-check: back it up and call for help</source>
        <translation>数据库每日自检未通过：请先备份，并联系技术支持</translation>
    </message>
    <message>
        <source>Audit entries deleted by hand</source>
        <translation>操作日志记录被人为删除</translation>
    </message>
    <message>
        <source>An audit entry changed by hand</source>
        <translation>操作日志记录被人为改动</translation>
    </message>
    <message>
        <source>Audit entries moved out of order</source>
        <translation>操作日志记录顺序被打乱</translation>
    </message>
    <message>
        <source>A forged audit entry added</source>
        <translation>操作日志被插入伪造记录</translation>
    </message>
    <message>
        <source>Choose where the backup goes</source>
        <translation>请选择备份位置</translation>
    </message>
    <message>
        <source>The two passwords differ</source>
        <translation>两次输入的密码不一致</translation>
    </message>
    <message>
        <source>Type a password for the backup, and again below; keep it apart from the stick</source>
        <translation>请为备份设置密码并在下面再输入一次；密码不要和U盘放在一起</translation>
    </message>
    <message>
        <source>This backup is of another office ({theirs}), not of this one ({ours}): nothing was replaced. To put {theirs}&apos;s data in place of {ours}&apos;s, confirm it (on the command line: --other-office)</source>
        <translation>此备份属于另一个管理处（{theirs}），不是本处（{ours}）的：未替换任何数据。如确要用{theirs}的数据替换{ours}的数据，请确认（命令行：--other-office）</translation>
    </message>
    <message>
        <source>This database lives in memory only: there is nothing to back up</source>
        <translation>此数据库只在内存中，没有可备份的内容</translation>
    </message>
    <message>
        <source>This backup is protected by a password: enter it</source>
        <translation>此备份设有密码：请输入密码</translation>
    </message>
    <message>
        <source>The backup file is damaged or incomplete</source>
        <translation>备份文件已损坏或不完整</translation>
    </message>
    <message>
        <source>Wrong password, or the backup file is damaged</source>
        <translation>密码错误，或备份文件已损坏</translation>
    </message>
    <message>
        <source>The backup folder {folder} is not there</source>
        <translation>备份位置 {folder} 不存在</translation>
    </message>
    <message>
        <source>The backup could not be written ({reason}); the backups already there are untouched</source>
        <translation>备份未能写入（{reason}）；原有备份未受影响</translation>
    </message>
    <message>
        <source>The backup file cannot be read ({reason})</source>
        <translation>无法读取备份文件（{reason}）</translation>
    </message>
    <message>
        <source>This backup was made by a newer EstateDesk (data version {version}); update this PC first</source>
        <translation>此备份由较新版本的物业服务台制作（数据版本 {version}）；请先升级本机程序</translation>
    </message>
    <message>
        <source>This backup does not hold an EstateDesk office&apos;s data</source>
        <translation>此备份中没有物业服务台的管理处数据</translation>
    </message>
    <message>
        <source>Someone wrote to the office&apos;s data at another PC or window while the restore was getting ready (a receipt, a repair …): nothing was replaced. Restore again: it goes on from what they wrote</source>
        <translation>恢复准备期间，另一台电脑或窗口写入了本处数据（收据、报修等）：没有替换任何数据。请再恢复一次，将接着他们写入的数据继续</translation>
    </message>
    <message>
        <source>Another PC or window kept the database busy for {seconds} seconds: the restore stopped and nothing was replaced. Close EstateDesk on the other PCs and try again</source>
        <translation>另一台电脑或窗口占用数据库已达 {seconds} 秒：恢复已停止，未替换任何数据。请关闭其他电脑上的物业服务台后重试</translation>
    </message>
    <message>
        <source>The disk is full: the restore stopped and nothing was replaced (no copy was left behind). Free some space on the disk and try again</source>
        <translation>磁盘已满：恢复已停止，未替换任何数据（未留下不完整的副本）。请腾出磁盘空间后重试</translation>
    </message>
    <message>
        <source>The restore could not finish ({reason})</source>
        <translation>恢复未能完成（{reason}）</translation>
    </message>
    <message>
        <source>The office&apos;s data here could not be brought up to this version of EstateDesk ({reason}): nothing was replaced. Call for help before restoring over it</source>
        <translation>这里的数据无法升级到本版物业服务台（{reason}）：没有替换任何数据。恢复覆盖之前请先找技术支持</translation>
    </message>
    <message>
        <source>Choose the database file to restore into</source>
        <translation>请选择要恢复到的数据库文件</translation>
    </message>
    <message>
        <source>The workbook could not be written ({reason})</source>
        <translation>工作簿未能写入（{reason}）</translation>
    </message>
    <message>
        <source>Houses and owners</source>
        <translation>房屋及业主</translation>
    </message>
    <message>
        <source>Arrears by house</source>
        <translation>欠费明细</translation>
    </message>
    <message>
        <source>The month&apos;s collection</source>
        <translation>收缴情况</translation>
    </message>
    <message>
        <source>A cashier&apos;s day close</source>
        <translation>我的日结</translation>
    </message>
    <message>
        <source>This phone was stored as a number and saved as Excel showed it ({value}): format the column as text and type it again</source>
        <translation>此电话号码被存成了数字，并按 Excel 显示的样子（{value}）保存：请将该列设为文本格式后重新输入</translation>
    </message>
    <message>
        <source>This file could not be read as a spreadsheet (.xlsx, .xls, .ods or .csv)</source>
        <translation>无法作为表格文件（.xlsx、.xls、.ods 或 .csv）读取此文件</translation>
    </message>
    <message>
        <source>No header row (房号, 姓名, 面积 …) in the first 10 rows of any sheet</source>
        <translation>所有工作表的前 10 行中都没有表头行（房号、姓名、面积…）</translation>
    </message>
    <message>
        <source>This cell holds a formula whose result was never saved (the file was made by a program): open it in Excel or WPS, save it, and import it again</source>
        <translation>此单元格是公式，但文件中没有保存计算结果（文件由程序生成）：请用 Excel 或 WPS 打开并保存后再导入</translation>
    </message>
    <message>
        <source>Left out: the title above the header (&quot;{text}&quot;)</source>
        <translation>已略过：表头上方的标题（“{text}”）</translation>
    </message>
    <message>
        <source>Left out: a total row (&quot;{text}&quot;)</source>
        <translation>已略过：合计行（“{text}”）</translation>
    </message>
    <message>
        <source>Left out: notes under the table on rows {rows} (&quot;{text}&quot;)</source>
        <translation>已略过：第 {rows} 行为表格下方的说明（“{text}”）</translation>
    </message>
    <message>
        <source>Left out: nothing to import on rows {rows}</source>
        <translation>已略过：第 {rows} 行没有可导入的内容</translation>
    </message>
    <message>
        <source>The owners named ({owners}) and the ID numbers given ({ids}) do not match: give one for each owner, in the same order (…、…)</source>
        <translation>业主人数（{owners}）与身份证号个数（{ids}）不符：请按同一顺序为每位业主各填一个（…、…）</translation>
    </message>
    <message>
        <source>Give at most two phones for one owner, or one for each co-owner in the same order</source>
        <translation>一位业主最多填两个电话；多位共有人请按同一顺序各填一个</translation>
    </message>
    <message>
        <source>This ID number is also on row {row}, under the name {name}</source>
        <translation>此身份证号在第 {row} 行也出现，姓名为 {name}</translation>
    </message>
    <message>
        <source>This ID number is in the archive under the name {name}</source>
        <translation>档案中此身份证号的业主姓名为 {name}</translation>
    </message>
    <message>
        <source>Fill in the estate profile</source>
        <translation>填写小区概况</translation>
    </message>
    <message>
        <source>The estate&apos;s name and the office&apos;s name and phone, printed on every receipt and notice</source>
        <translation>小区名称、服务中心名称和电话，印在每张收据和通知上</translation>
    </message>
    <message>
        <source>Add the buildings and houses</source>
        <translation>添加楼栋和房屋</translation>
    </message>
    <message>
        <source>One by one in the archive, or all at once from the developer&apos;s Excel list</source>
        <translation>在业主档案中逐一添加，或从开发商的 Excel 名册一次导入</translation>
    </message>
    <message>
        <source>Add the office&apos;s users</source>
        <translation>添加服务中心的用户</translation>
    </message>
    <message>
        <source>A user for each clerk, cashier and supervisor, with their roles</source>
        <translation>为每位客服、收费员和主管建立用户并分配角色</translation>
    </message>
    <message>
        <source>Set the fee items&apos; prices</source>
        <translation>设置收费项目单价</translation>
    </message>
    <message>
        <source>The service fee per m², water, parking … as the service contract says</source>
        <translation>按物业服务合同设置每平方米物业服务费、水费、停车费等</translation>
    </message>
    <message>
        <source>Set up the receipt numbers</source>
        <translation>设置收据号码</translation>
    </message>
    <message>
        <source>A supervisor matches the next number to the first form of the receipt book</source>
        <translation>由主管将下一个号码对应到收据本的第一张</translation>
    </message>
    <message>
        <source>Enter the administrator&apos;s full name</source>
        <translation>请输入管理员的姓名</translation>
    </message>
    <message>
        <source>{text} looks like a server, not a database. For the office&apos;s server write its whole address: postgresql://user:password@{server}/database; for a database file, a path ending in .sqlite or .db.</source>
        <translation>{text} 像是服务器，而不是数据库。办公室服务器请写完整地址：postgresql://用户名:密码@{server}/数据库名；数据库文件请写以 .sqlite 或 .db 结尾的路径。</translation>
    </message>
    <message>
        <source>A database file&apos;s name ends in .sqlite or .db: {path}</source>
        <translation>数据库文件名须以 .sqlite 或 .db 结尾：{path}</translation>
    </message>
    <message>
        <source>No such number: {text}</source>
        <translation>没有这个编号：{text}</translation>
    </message>
    <message>
        <source>No such building: {text}</source>
        <translation>没有这栋楼：{text}</translation>
    </message>
    <message>
        <source>No house here needs one</source>
        <translation>这里没有需要发送的住户</translation>
    </message>
    <message>
        <source>Write the backup&apos;s time as hours and minutes, 00:00 to 23:59 (for example 21:30), not {text}</source>
        <translation>备份时间请写成时:分，00:00 到 23:59（例如 21:30），而不是 {text}</translation>
    </message>
    <message>
        <source>The nightly backup could not be set up on this computer ({error}). Back up by hand (文件 → 备份…) until it is.</source>
        <translation>本机未能设置每晚自动备份（{error}）。设置好之前，请手动备份（文件 → 备份…）。</translation>
    </message>
    <message>
        <source>{field} does not fit its box on the form “{form}”: “{value}”. Shorten it, or give the field more room in the template</source>
        <translation>“{field}”放不进单据“{form}”上它的框：“{value}”。请缩短内容，或在模板中给这个字段更大的位置</translation>
    </message>
    <message>
        <source>{field} would print over {other} on the form “{form}”: move one of them in the template</source>
        <translation>“{field}”会与“{other}”叠印在单据“{form}”上：请在格式中移开其中一项</translation>
    </message>
    <message>
        <source>A price per unit</source>
        <translation>按单价计</translation>
    </message>
    <message>
        <source>A share of an amount</source>
        <translation>按金额比例计</translation>
    </message>
    <message>
        <source>This service is no longer on the price list</source>
        <translation>价目表中已没有这项服务</translation>
    </message>
    <message>
        <source>Give the service a name</source>
        <translation>请填写服务名称</translation>
    </message>
    <message>
        <source>Say what the price is for: 个, 次, 小时 …</source>
        <translation>请填写计价单位：个、次、小时……</translation>
    </message>
    <message>
        <source>Write the share as a percentage above 0 and at most 100, like 40 or 37.5</source>
        <translation>比例请填写大于 0、不超过 100 的百分数，如 40 或 37.5</translation>
    </message>
    <message>
        <source>Say what it is a share of: 月租金 …</source>
        <translation>请填写按什么金额计：月租金……</translation>
    </message>
    <message>
        <source>The price list has a service of this name already</source>
        <translation>价目表中已有同名的服务</translation>
    </message>
    <message>
        <source>Write how many, more than 0 and at most {most} (two decimals at most)</source>
        <translation>请填写数量：大于 0，不超过 {most}（最多两位小数）</translation>
    </message>
    <message>
        <source>This comes to {amount}: not an amount the counter can take</source>
        <translation>合计为 {amount}，超出收费台可收的金额</translation>
    </message>
    <message>
        <source>Doors and windows shut and whole</source>
        <translation>门窗关闭完好</translation>
    </message>
    <message>
        <source>Water and power as they should be</source>
        <translation>水电正常</translation>
    </message>
    <message>
        <source>No leaks or damp</source>
        <translation>无渗漏、无返潮</translation>
    </message>
    <message>
        <source>No smell</source>
        <translation>无异味</translation>
    </message>
    <message>
        <source>Tick it or leave it unticked</source>
        <translation>请勾选或不勾选</translation>
    </message>
    <message>
        <source>{house} is not marked vacant: change its state in the archive first</source>
        <translation>{house} 不是空置房：请先在业主档案中修改房屋状态</translation>
    </message>
    <message>
        <source>A check not passed: say what you found</source>
        <translation>有一项检查未通过：请写明发现的问题</translation>
    </message>
    <message>
        <source>Say what the repair is for</source>
        <translation>请写明要维修的问题</translation>
    </message>
    <message>
        <source>Deduction {n}: start with the amount, then say what it is for</source>
        <translation>第 {n} 项扣款：先写金额，再写原因</translation>
    </message>
    <message>
        <source>Settled at the counter before the sale</source>
        <translation>过户前在收费台结清</translation>
    </message>
    <message>
        <source>Carried over to the new owner</source>
        <translation>转由新业主承担</translation>
    </message>
    <message>
        <source>{house} has no owner on file: add the owner instead</source>
        <translation>{house} 档案中没有业主：请直接添加业主</translation>
    </message>
    <message>
        <source>The sale cannot be before {date}, when the owner now on file took the house</source>
        <translation>过户日期不能早于现业主的入住日期 {date}</translation>
    </message>
    <message>
        <source>The house still owes {owed}: take the payment at the counter first, or carry it over to the new owner</source>
        <translation>本户尚欠 {owed}：请先在收费台结清，或选择转由新业主承担</translation>
    </message>
    <message>
        <source>Type the house: 3-2-1201</source>
        <translation>请输入房号，如 3-2-1201</translation>
    </message>
    <message>
        <source>At the desk</source>
        <translation>前台来访</translation>
    </message>
    <message>
        <source>Write who called or came</source>
        <translation>请填写来电或来访人</translation>
    </message>
    <message>
        <source>Write whom the message is for</source>
        <translation>请填写转告给谁</translation>
    </message>
    <message>
        <source>Write what it is about</source>
        <translation>请填写事由</translation>
    </message>
    <message>
        <source>Fire alarm</source>
        <translation>火警</translation>
    </message>
    <message>
        <source>Flood or burst pipe</source>
        <translation>水浸/爆管</translation>
    </message>
    <message>
        <source>Someone trapped in a lift</source>
        <translation>电梯困人</translation>
    </message>
    <message>
        <source>Theft</source>
        <translation>盗窃</translation>
    </message>
    <message>
        <source>Injury or illness</source>
        <translation>人员受伤/急病</translation>
    </message>
    <message>
        <source>Other emergency</source>
        <translation>其他突发事件</translation>
    </message>
    <message>
        <source>Called</source>
        <translation>通知</translation>
    </message>
    <message>
        <source>Reported up to</source>
        <translation>上报</translation>
    </message>
    <message>
        <source>Arrived</source>
        <translation>到场</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>处置</translation>
    </message>
    <message>
        <source>Over</source>
        <translation>解除</translation>
    </message>
    <message>
        <source>Enter a date and time</source>
        <translation>请输入日期和时间</translation>
    </message>
    <message>
        <source>Not later than now</source>
        <translation>不能晚于现在</translation>
    </message>
    <message>
        <source>Not before it happened ({at})</source>
        <translation>不能早于事发时间（{at}）</translation>
    </message>
    <message>
        <source>Write where it happened</source>
        <translation>请填写发生地点</translation>
    </message>
    <message>
        <source>Write what happened</source>
        <translation>请填写事件经过</translation>
    </message>
    <message>
        <source>This incident is not in the log</source>
        <translation>事件记录中没有这起事件</translation>
    </message>
    <message>
        <source>Write who: the lift company, the manager, 119…</source>
        <translation>请填写对象：电梯公司、经理、119……</translation>
    </message>
    <message>
        <source>Incident {number} is closed</source>
        <translation>事件 {number} 已结案</translation>
    </message>
    <message>
        <source>Write the closing summary: what happened, what was done, what follows</source>
        <translation>请填写处理总结：经过、处置、后续</translation>
    </message>
    <message>
        <source>Record when it was over (a step “Over”) before closing the incident</source>
        <translation>结案前请先记录“解除”的时间</translation>
    </message>
    <message>
        <source>That time has passed already</source>
        <translation>这个时间已经过了</translation>
    </message>
    <message>
        <source>Write the number to call back</source>
        <translation>请填写回电号码</translation>
    </message>
    <message>
        <source>This message is no longer in the register</source>
        <translation>登记簿中已没有这条留言</translation>
    </message>
    <message>
        <source>This message was done already, on {at}</source>
        <translation>这条留言已于 {at} 办结</translation>
    </message>
    <message>
        <source>Write what came of it: passed on, called back…</source>
        <translation>请填写办理结果：已转告、已回电……</translation>
    </message>
    <message>
        <source>Key out</source>
        <translation>钥匙未还</translation>
    </message>
    <message>
        <source>Lent item out</source>
        <translation>借用物品未还</translation>
    </message>
    <message>
        <source>Parcel waiting</source>
        <translation>包裹待取</translation>
    </message>
    <message>
        <source>Message to answer</source>
        <translation>留言待回复</translation>
    </message>
    <message>
        <source>Repair waiting</source>
        <translation>报修待派工</translation>
    </message>
    <message>
        <source>Write the handover note: what the next clerk must know</source>
        <translation>请填写交班说明：下一班需要知道的事</translation>
    </message>
    <message>
        <source>Count the cash box and write what is in it</source>
        <translation>请清点钱箱并填写现金金额</translation>
    </message>
    <message>
        <source>Choose the clerk who takes over</source>
        <translation>请选择接班人</translation>
    </message>
    <message>
        <source>Hand over to another clerk, not to yourself</source>
        <translation>请交给其他同事，不能交给自己</translation>
    </message>
    <message>
        <source>{name} does not work at the desk</source>
        <translation>{name} 不在前台岗位</translation>
    </message>
    <message>
        <source>Type your password to confirm the handover</source>
        <translation>请输入您的密码确认交班</translation>
    </message>
    <message>
        <source>Wrong password</source>
        <translation>密码错误</translation>
    </message>
    <message>
        <source>This handover is no longer in the register</source>
        <translation>登记簿中已没有这条交接班记录</translation>
    </message>
    <message>
        <source>Type your password to take the desk over</source>
        <translation>请输入您的密码确认接班</translation>
    </message>
    <message>
        <source>{name} took this handover over already, at {at}</source>
        <translation>{name} 已于 {at} 接班</translation>
    </message>
    <message>
        <source>The clerk who takes over confirms, not the one handing over</source>
        <translation>应由接班人确认，交班人不能自己确认</translation>
    </message>
    <message>
        <source>This handover is for {name}</source>
        <translation>这次交班是交给 {name} 的</translation>
    </message>
    <message>
        <source>This handover was taken over meanwhile</source>
        <translation>这次交班刚刚已被接班</translation>
    </message>
    <message>
        <source>Item left</source>
        <translation>寄存物品</translation>
    </message>
    <message>
        <source>Registered mail</source>
        <translation>挂号信</translation>
    </message>
    <message>
        <source>Newspaper or magazine</source>
        <translation>报刊</translation>
    </message>
    <message>
        <source>Write what is left</source>
        <translation>请填写寄存的物品</translation>
    </message>
    <message>
        <source>Write whom it is for</source>
        <translation>请填写交给谁</translation>
    </message>
    <message>
        <source>The desk does not keep cash: ask them to hand it over in person or by transfer</source>
        <translation>前台不代为保管现金：请对方当面交付或转账</translation>
    </message>
    <message>
        <source>Tick it once you have checked there is no cash or valuables inside; the desk keeps none</source>
        <translation>查验无现金、无贵重物品后请勾选；前台不代管这些物品</translation>
    </message>
    <message>
        <source>Write the registered letter&apos;s number</source>
        <translation>请填写挂号信编号</translation>
    </message>
    <message>
        <source>Write who collected it</source>
        <translation>请填写领取人</translation>
    </message>
    <message>
        <source>This is no longer in the register</source>
        <translation>登记簿中已没有这条记录</translation>
    </message>
    <message>
        <source>{name} collected it already, at {at}</source>
        <translation>已由 {name} 于 {at} 领取</translation>
    </message>
    <message>
        <source>In writing</source>
        <translation>书面</translation>
    </message>
    <message>
        <source>Not used yet</source>
        <translation>未使用</translation>
    </message>
    <message>
        <source>Used at the gate</source>
        <translation>已放行</translation>
    </message>
    <message>
        <source>Void</source>
        <translation>已作废</translation>
    </message>
    <message>
        <source>Write who asks for the pass</source>
        <translation>请填写申请人</translation>
    </message>
    <message>
        <source>Write the goods that go out</source>
        <translation>请填写放行物品</translation>
    </message>
    <message>
        <source>Type the house the goods come from: 3-2-1201</source>
        <translation>请输入物品所出的房号，如 3-2-1201</translation>
    </message>
    <message>
        <source>{name} is not an owner or a tenant of {house}: the pass is asked for by one of them</source>
        <translation>{name} 不是 {house} 的业主或租户：放行条须由业主或租户申请</translation>
    </message>
    <message>
        <source>A tenant&apos;s goods go out with the owner&apos;s authorisation: call the owner and write who agreed</source>
        <translation>租户搬出物品须业主授权：请致电业主并填写同意人</translation>
    </message>
    <message>
        <source>{name} is not an owner of {house}</source>
        <translation>{name} 不是 {house} 的业主</translation>
    </message>
    <message>
        <source>Say how the owner agreed</source>
        <translation>请选择业主同意的方式</translation>
    </message>
    <message>
        <source>When did the owner agree? Not later than now</source>
        <translation>业主何时同意？不能晚于现在</translation>
    </message>
    <message>
        <source>{house} owes {amount} yuan and is moving out: tell the owner, then tick that you did</source>
        <translation>{house} 欠费 {amount} 元且要搬出：请告知业主后勾选</translation>
    </message>
    <message>
        <source>A pass is for today or one of the next {n} days</source>
        <translation>放行条只能开今天或之后 {n} 天内的</translation>
    </message>
    <message>
        <source>This release pass is not in the register</source>
        <translation>登记簿中没有这张放行条</translation>
    </message>
    <message>
        <source>No release pass {text}</source>
        <translation>没有放行条 {text}</translation>
    </message>
    <message>
        <source>Pass {number} is void: the goods do not go out on it</source>
        <translation>放行条 {number} 已作废，不能凭此放行</translation>
    </message>
    <message>
        <source>Pass {number} was used already, at {at}</source>
        <translation>放行条 {number} 已于 {at} 使用</translation>
    </message>
    <message>
        <source>Pass {number} is for {day}, not today</source>
        <translation>放行条 {number} 是 {day} 的，不是今天的</translation>
    </message>
    <message>
        <source>Write why the pass is void</source>
        <translation>请填写作废原因</translation>
    </message>
    <message>
        <source>Pass {number} is {state} already</source>
        <translation>放行条 {number} 已是“{state}”</translation>
    </message>
    <message>
        <source>Name the route</source>
        <translation>请填写路线名称</translation>
    </message>
    <message>
        <source>Give the route its checkpoints, one a line</source>
        <translation>请填写巡查点，每行一个</translation>
    </message>
    <message>
        <source>A checkpoint is named twice</source>
        <translation>有巡查点重复</translation>
    </message>
    <message>
        <source>There is a route {name} already</source>
        <translation>已有路线 {name}</translation>
    </message>
    <message>
        <source>This route is no longer kept</source>
        <translation>这条路线已不存在</translation>
    </message>
    <message>
        <source>Choose the route walked</source>
        <translation>请选择巡查路线</translation>
    </message>
    <message>
        <source>Write who walks the patrol</source>
        <translation>请填写巡查人</translation>
    </message>
    <message>
        <source>This patrol is no longer in the record</source>
        <translation>巡查记录中已没有这次巡查</translation>
    </message>
    <message>
        <source>Write what was found</source>
        <translation>请填写发现的问题</translation>
    </message>
    <message>
        <source>No such checkpoint</source>
        <translation>没有这个巡查点</translation>
    </message>
    <message>
        <source>Write where it was found</source>
        <translation>请填写发现地点</translation>
    </message>
    <message>
        <source>Choose the facility that is out of order</source>
        <translation>请选择出故障的设施</translation>
    </message>
    <message>
        <source>A repair or a fault is a finding: untick “in order”</source>
        <translation>报修或故障属于发现问题：请取消“正常”</translation>
    </message>
    <message>
        <source>Choose the kind of repair</source>
        <translation>请选择报修类别</translation>
    </message>
    <message>
        <source>This patrol is finished: start another for a new finding</source>
        <translation>这次巡查已结束：新发现请另开一次巡查</translation>
    </message>
    <message>
        <source>This checkpoint is on another route</source>
        <translation>这个巡查点属于另一条路线</translation>
    </message>
    <message>
        <source>Not reached: {names}. Say why in the note</source>
        <translation>未到巡查点：{names}，请在备注中说明原因</translation>
    </message>
    <message>
        <source>This patrol is finished already</source>
        <translation>这次巡查已经结束</translation>
    </message>
    <message>
        <source>Write the plate like 粤B12345</source>
        <translation>车牌号请写成 粤B12345 的样式</translation>
    </message>
    <message>
        <source>Write the visitor&apos;s name</source>
        <translation>请填写访客姓名</translation>
    </message>
    <message>
        <source>Write who in the house said to let them in</source>
        <translation>请填写住户中同意放行的人</translation>
    </message>
    <message>
        <source>Type the house visited: 3-2-1201</source>
        <translation>请输入拜访的房号，如 3-2-1201</translation>
    </message>
    <message>
        <source>This visitor is no longer in the book</source>
        <translation>访客登记簿中已没有这位访客</translation>
    </message>
    <message>
        <source>{name} went out already, at {at}</source>
        <translation>{name} 已于 {at} 离开</translation>
    </message>
    <message>
        <source>The time out is between the time in and now</source>
        <translation>离开时间应在进入时间和现在之间</translation>
    </message>
</context>
<context>
    <name>OwnerCardDialog</name>
    <message>
        <source>Owner {name}</source>
        <translation>业主 {name}</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Gender</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>ID document</source>
        <translation>证件类型</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Second phone</source>
        <translation>备用电话</translation>
    </message>
    <message>
        <source>Occupation</source>
        <translation>职业</translation>
    </message>
    <message>
        <source>Employer</source>
        <translation>工作单位</translation>
    </message>
    <message>
        <source>Work address</source>
        <translation>单位地址</translation>
    </message>
    <message>
        <source>Education</source>
        <translation>学历</translation>
    </message>
    <message>
        <source>Hometown</source>
        <translation>籍贯</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>House</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>Area (m²)</source>
        <translation>面积 (m²)</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>起始</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>终止</translation>
    </message>
    <message>
        <source>Houses of this owner (double-click to open)</source>
        <translation>该业主名下房屋(双击打开)</translation>
    </message>
</context>
<context>
    <name>OwnerDialog</name>
    <message>
        <source>Change owner {name}</source>
        <translation>修改业主 {name}</translation>
    </message>
    <message>
        <source>Add an owner</source>
        <translation>新增业主</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Gender</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>ID document</source>
        <translation>证件类型</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Second phone</source>
        <translation>备用电话</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(无)</translation>
    </message>
    <message>
        <source>Occupation</source>
        <translation>职业</translation>
    </message>
    <message>
        <source>Employer</source>
        <translation>工作单位</translation>
    </message>
    <message>
        <source>Work address</source>
        <translation>单位地址</translation>
    </message>
    <message>
        <source>Education</source>
        <translation>学历</translation>
    </message>
    <message>
        <source>Hometown</source>
        <translation>籍贯</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>身份</translation>
    </message>
    <message>
        <source>Primary owner</source>
        <translation>主业主</translation>
    </message>
    <message>
        <source>Co-owner</source>
        <translation>共有人</translation>
    </message>
    <message>
        <source>Owner since</source>
        <translation>成为业主日期</translation>
    </message>
</context>
<context>
    <name>OwnerVisitDialog</name>
    <message>
        <source>Record a visit</source>
        <translation>走访登记</translation>
    </message>
    <message>
        <source>House</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>How</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>Spoke with</source>
        <translation>接待人</translation>
    </message>
    <message>
        <source>The owner&apos;s opinion</source>
        <translation>业主意见</translation>
    </message>
    <message>
        <source>Problem raised</source>
        <translation>反映问题</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>跟进措施</translation>
    </message>
</context>
<context>
    <name>ParcelsTab</name>
    <message>
        <source>Take in a parcel</source>
        <translation>代收包裹</translation>
    </message>
    <message>
        <source>House</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>3-2-1201, then Enter</source>
        <translation>3-2-1201，回车</translation>
    </message>
    <message>
        <source>Tracking number</source>
        <translation>快递单号</translation>
    </message>
    <message>
        <source>scan it</source>
        <translation>扫描单号</translation>
    </message>
    <message>
        <source>Courier</source>
        <translation>快递公司</translation>
    </message>
    <message>
        <source>choose it</source>
        <translation>请选择</translation>
    </message>
    <message>
        <source>Recipient</source>
        <translation>收件人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Shelf</source>
        <translation>货架</translation>
    </message>
    <message>
        <source>Checked</source>
        <translation>已查验</translation>
    </message>
    <message>
        <source>neither fragile nor valuable</source>
        <translation>非易碎、非贵重物品</translation>
    </message>
    <message>
        <source>Take in and print the label</source>
        <translation>收件并打印标签</translation>
    </message>
    <message>
        <source>Refuse…</source>
        <translation>拒收…</translation>
    </message>
    <message>
        <source>Refuse the parcel and record why ({key})</source>
        <translation>拒收并记录原因（{key}）</translation>
    </message>
    <message>
        <source>Labels on</source>
        <translation>标签纸</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>待取</translation>
    </message>
    <message>
        <source>Pickup code, tracking number, house or name — Enter</source>
        <translation>取件码、快递单号、房号或姓名 — 回车</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>取件码</translation>
    </message>
    <message>
        <source>In</source>
        <translation>收件</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>小时</translation>
    </message>
    <message>
        <source>Courier, tracking no.</source>
        <translation>快递公司及单号</translation>
    </message>
    <message>
        <source>Called</source>
        <translation>已提醒</translation>
    </message>
    <message>
        <source>Fee now</source>
        <translation>当前保管费</translation>
    </message>
    <message>
        <source>Pick up…</source>
        <translation>取件…</translation>
    </message>
    <message>
        <source>Label again</source>
        <translation>重打标签</translation>
    </message>
    <message>
        <source>Call list…</source>
        <translation>催领清单…</translation>
    </message>
    <message>
        <source>The parcels waiting past the free time, to remind their owners</source>
        <translation>超过免费时间的待取包裹，用于提醒业主</translation>
    </message>
    <message>
        <source>Today&apos;s parcels…</source>
        <translation>当日清单…</translation>
    </message>
    <message>
        <source>House&apos;s parcels…</source>
        <translation>该户包裹…</translation>
    </message>
    <message>
        <source>Every parcel of the house in the search box or of the chosen parcel</source>
        <translation>查找框中房屋或所选包裹所属房屋的全部包裹</translation>
    </message>
    <message>
        <source>No such house</source>
        <translation>没有此房屋</translation>
    </message>
    <message>
        <source>Labels print on the office&apos;s label “{name}” (Settings → Forms)</source>
        <translation>标签按服务中心的标签格式“{name}”打印（本机设置 → 单据格式）</translation>
    </message>
    <message>
        <source>{n} waiting, {over} past the free time.</source>
        <translation>待取 {n} 件，其中 {over} 件已超过免费时间。</translation>
    </message>
    <message>
        <source>Parcels</source>
        <translation>包裹</translation>
    </message>
    <message>
        <source>Taken in: code {code}, shelf {shelf}.</source>
        <translation>已收件：取件码 {code}，货架 {shelf}。</translation>
    </message>
    <message>
        <source>The refusal is recorded.</source>
        <translation>拒收已记录。</translation>
    </message>
    <message>
        <source>Parcel label</source>
        <translation>包裹标签</translation>
    </message>
    <message>
        <source>Choose a parcel in the list first</source>
        <translation>请先在列表中选择包裹</translation>
    </message>
    <message>
        <source>No parcel waiting for “{text}”</source>
        <translation>没有与“{text}”相符的待取包裹</translation>
    </message>
    <message>
        <source>Receipt {number}</source>
        <translation>收据 {number}</translation>
    </message>
    <message>
        <source>No parcel is waiting past the free time.</source>
        <translation>没有超过免费时间的待取包裹。</translation>
    </message>
    <message>
        <source>Parcels to remind</source>
        <translation>催领清单</translation>
    </message>
    <message>
        <source>Type the house in the search box (3-2-1201) or choose one of its parcels first</source>
        <translation>请先在查找框输入房号（3-2-1201）或选中该户的一个包裹</translation>
    </message>
    <message>
        <source>No such house: {text}</source>
        <translation>没有这个房屋：{text}</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Out</source>
        <translation>取件</translation>
    </message>
    <message>
        <source>code {code}, shelf {shelf}</source>
        <translation>取件码 {code}，货架 {shelf}</translation>
    </message>
    <message>
        <source>fee waived: {why}</source>
        <translation>免收保管费：{why}</translation>
    </message>
    <message>
        <source>Parcels of {house}</source>
        <translation>{house} 的包裹</translation>
    </message>
    <message>
        <source>What</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>拒收</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message numerus="yes">
        <source>%n parcel(s)</source>
        <translation>
            <numerusform>共 %n 件</numerusform>
        </translation>
    </message>
    <message>
        <source>by {name}</source>
        <translation>{name}代取</translation>
    </message>
    <message>
        <source>Fee</source>
        <translation>保管费</translation>
    </message>
    <message>
        <source>Parcels on {day}</source>
        <translation>{day} 包裹清单</translation>
    </message>
    <message>
        <source>{a} in, {b} out</source>
        <translation>收件 {a} 件，取件 {b} 件</translation>
    </message>
</context>
<context>
    <name>PassDialog</name>
    <message>
        <source>Release pass</source>
        <translation>物品放行条</translation>
    </message>
    <message>
        <source>House</source>
        <translation>房号</translation>
    </message>
    <message>
        <source>3-2-1201, then Enter</source>
        <translation>3-2-1201，然后回车</translation>
    </message>
    <message>
        <source>Asked for by</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Owner who agreed</source>
        <translation>同意的业主</translation>
    </message>
    <message>
        <source>How the owner agreed</source>
        <translation>业主同意方式</translation>
    </message>
    <message>
        <source>When the owner agreed</source>
        <translation>业主同意时间</translation>
    </message>
    <message>
        <source>Goods</source>
        <translation>放行物品</translation>
    </message>
    <message>
        <source>Vehicle plate</source>
        <translation>车牌号</translation>
    </message>
    <message>
        <source>Moving out</source>
        <translation>搬出</translation>
    </message>
    <message>
        <source>the household moves out</source>
        <translation>住户搬出</translation>
    </message>
    <message>
        <source>Arrears</source>
        <translation>欠费</translation>
    </message>
    <message>
        <source>told the owner</source>
        <translation>已告知业主</translation>
    </message>
    <message>
        <source>Good for</source>
        <translation>有效日期</translation>
    </message>
    <message>
        <source>Issue and print</source>
        <translation>开具并打印</translation>
    </message>
    <message>
        <source>The house owes {amount} yuan. Tell the owner before the goods go.</source>
        <translation>该户欠费 {amount} 元，放行前请告知业主。</translation>
    </message>
</context>
<context>
    <name>PassesTab</name>
    <message>
        <source>Release passes</source>
        <translation>放行条</translation>
    </message>
    <message>
        <source>Pass number, house, name, goods or plate — Enter</source>
        <translation>放行条编号、房号、姓名、物品或车牌，回车查找</translation>
    </message>
    <message>
        <source>Not used yet</source>
        <translation>只看未使用</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Good for</source>
        <translation>有效日期</translation>
    </message>
    <message>
        <source>House</source>
        <translation>房号</translation>
    </message>
    <message>
        <source>Asked for by</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Owner who agreed</source>
        <translation>同意的业主</translation>
    </message>
    <message>
        <source>Goods</source>
        <translation>放行物品</translation>
    </message>
    <message>
        <source>Plate</source>
        <translation>车牌</translation>
    </message>
    <message>
        <source>Owed</source>
        <translation>欠费</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>New pass…</source>
        <translation>开放行条…</translation>
    </message>
    <message>
        <source>Used at the gate…</source>
        <translation>门岗放行…</translation>
    </message>
    <message>
        <source>Void…</source>
        <translation>作废…</translation>
    </message>
    <message>
        <source>Print the pass…</source>
        <translation>打印放行条…</translation>
    </message>
    <message>
        <source>Choose the pass the gate took</source>
        <translation>请先选择门岗收回的放行条</translation>
    </message>
    <message>
        <source>Used at the gate</source>
        <translation>门岗放行</translation>
    </message>
    <message>
        <source>Gate&apos;s note (may be empty)</source>
        <translation>门岗备注（可不填）</translation>
    </message>
    <message>
        <source>Choose the pass to void</source>
        <translation>请先选择要作废的放行条</translation>
    </message>
    <message>
        <source>Void the pass</source>
        <translation>作废放行条</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Choose a pass first</source>
        <translation>请先选择一张放行条</translation>
    </message>
    <message>
        <source>Release pass</source>
        <translation>物品放行条</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <source>Change my password</source>
        <translation>修改我的密码</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>当前密码</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>再次输入新密码</translation>
    </message>
    <message>
        <source>The two passwords differ</source>
        <translation>两次输入的密码不一致</translation>
    </message>
</context>
<context>
    <name>PatrolDialog</name>
    <message>
        <source>Patrol: {route}, {walker}</source>
        <translation>巡查：{route}，{walker}</translation>
    </message>
    <message>
        <source>Checkpoint</source>
        <translation>巡查点</translation>
    </message>
    <message>
        <source>Found</source>
        <translation>情况</translation>
    </message>
    <message>
        <source>Finding</source>
        <translation>发现问题</translation>
    </message>
    <message>
        <source>what is wrong, then Enter: a repair order</source>
        <translation>写明问题后回车，即生成维修单</translation>
    </message>
    <message>
        <source>Facility</source>
        <translation>设施</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Units out of order</source>
        <translation>故障数量</translation>
    </message>
    <message>
        <source>Repair</source>
        <translation>报修</translation>
    </message>
    <message>
        <source>raise a repair order</source>
        <translation>生成维修单</translation>
    </message>
    <message>
        <source>Kind of repair</source>
        <translation>报修类别</translation>
    </message>
    <message>
        <source>Photo</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>In order</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Record the finding</source>
        <translation>记录问题</translation>
    </message>
    <message>
        <source>Finish the patrol…</source>
        <translation>结束巡查…</translation>
    </message>
    <message>
        <source>in order</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>{left} of {n} checkpoints to go, {findings} findings.</source>
        <translation>共 {n} 个巡查点，还剩 {left} 个，发现问题 {findings} 个。</translation>
    </message>
    <message>
        <source>Finish the patrol</source>
        <translation>结束巡查</translation>
    </message>
    <message>
        <source>Not reached: {names}. Why?</source>
        <translation>未到巡查点：{names}。原因？</translation>
    </message>
</context>
<context>
    <name>PatrolsTab</name>
    <message>
        <source>Patrols</source>
        <translation>巡查记录</translation>
    </message>
    <message>
        <source>The patrols, newest first</source>
        <translation>巡查记录，最新的在前</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>路线</translation>
    </message>
    <message>
        <source>Walked by</source>
        <translation>巡查人</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>结束</translation>
    </message>
    <message>
        <source>under way</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Start a patrol…</source>
        <translation>开始巡查…</translation>
    </message>
    <message>
        <source>Go on…</source>
        <translation>继续…</translation>
    </message>
    <message>
        <source>Print the record…</source>
        <translation>打印巡查记录…</translation>
    </message>
    <message>
        <source>Routes…</source>
        <translation>巡查路线…</translation>
    </message>
    <message>
        <source>Today&apos;s patrol is done.</source>
        <translation>今日巡查已完成。</translation>
    </message>
    <message>
        <source>No patrol route yet: a supervisor sets the routes.</source>
        <translation>还没有巡查路线：请主管设置。</translation>
    </message>
    <message>
        <source>Today&apos;s patrol is due by {at}.</source>
        <translation>今日巡查应在 {at} 前完成。</translation>
    </message>
    <message>
        <source>It is late.</source>
        <translation>已超时。</translation>
    </message>
    <message>
        <source>Start a patrol</source>
        <translation>开始巡查</translation>
    </message>
    <message>
        <source>Choose a patrol first</source>
        <translation>请先选择一次巡查</translation>
    </message>
    <message>
        <source>Patrol record</source>
        <translation>巡查记录</translation>
    </message>
    <message>
        <source>New route…</source>
        <translation>新路线…</translation>
    </message>
    <message>
        <source>Routes</source>
        <translation>巡查路线</translation>
    </message>
</context>
<context>
    <name>PhotoField</name>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Photo</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>Pictures (*.jpg *.jpeg *.png)</source>
        <translation>图片 (*.jpg *.jpeg *.png)</translation>
    </message>
</context>
<context>
    <name>PickupDialog</name>
    <message>
        <source>Pick up {code}</source>
        <translation>取件 {code}</translation>
    </message>
    <message>
        <source>{house} {recipient}, shelf {shelf}, {courier} {tracking}; here {hours} h.</source>
        <translation>{house} {recipient}，货架 {shelf}，{courier} {tracking}；已存放 {hours} 小时。</translation>
    </message>
    <message>
        <source>Storage fee: ¥{fee}</source>
        <translation>保管费：{fee} 元</translation>
    </message>
    <message>
        <source>No storage fee: within the free time.</source>
        <translation>免费时间内，无保管费。</translation>
    </message>
    <message>
        <source>Picked up by (if not the recipient)</source>
        <translation>代取人（非本人取件时）</translation>
    </message>
    <message>
        <source>Their ID number</source>
        <translation>代取人身份证号</translation>
    </message>
    <message>
        <source>Paid by</source>
        <translation>付款方式</translation>
    </message>
    <message>
        <source>Cash handed over</source>
        <translation>实收现金</translation>
    </message>
    <message>
        <source>Waive the fee</source>
        <translation>减免保管费</translation>
    </message>
    <message>
        <source>a supervisor approves</source>
        <translation>需主管批准</translation>
    </message>
    <message>
        <source>Why it is waived</source>
        <translation>减免原因</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <source>Supervisor&apos;s password</source>
        <translation>主管密码</translation>
    </message>
    <message>
        <source>Take the fee and hand over</source>
        <translation>收费并交付</translation>
    </message>
    <message>
        <source>Waive the fee and hand over</source>
        <translation>免收并交付</translation>
    </message>
    <message>
        <source>Hand over</source>
        <translation>交付</translation>
    </message>
</context>
<context>
    <name>PlanDialog</name>
    <message>
        <source>Plan visits</source>
        <translation>走访计划</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Clerk</source>
        <translation>客服人员</translation>
    </message>
    <message>
        <source>Building</source>
        <translation>楼栋</translation>
    </message>
</context>
<context>
    <name>Preview</name>
    <message>
        <source>The printer&apos;s paper ({got_w:.0f} × {got_h:.0f} mm) is not the document&apos;s ({w:.1f} × {h:.1f} mm). Put the right paper in, or add a paper form of {w:.1f} × {h:.1f} mm to the printer (on Windows: Printers → Print server properties → Forms).</source>
        <translation>打印机的纸张({got_w:.0f} × {got_h:.0f} mm)与文档纸张({w:.1f} × {h:.1f} mm)不一致。请放入正确的纸张，或为打印机添加 {w:.1f} × {h:.1f} mm 的纸张格式(Windows:打印机 → 打印服务器属性 → 格式)。</translation>
    </message>
</context>
<context>
    <name>PreviewDialog</name>
    <message>
        <source>Preview — {title}</source>
        <translation>打印预览 — {title}</translation>
    </message>
    <message>
        <source>◀ Previous</source>
        <translation>◀ 上一页</translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation>下一页 ▶</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>存为 PDF…</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>This document has no pages</source>
        <translation>该文档没有页面</translation>
    </message>
    <message>
        <source>Page {n} of {total}</source>
        <translation>第 {n} 页 / 共 {total} 页</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation>存为 PDF</translation>
    </message>
    <message>
        <source>PDF documents (*.pdf)</source>
        <translation>PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <source>The file could not be written ({reason}). Choose another folder, or check the USB stick.</source>
        <translation>文件无法写入（{reason}）。请换一个文件夹，或检查U盘。</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>No printer is installed on this computer. Install the printer in the system&apos;s settings, or save the document as PDF.</source>
        <translation>本机没有安装打印机。请在系统设置中安装打印机，或将文档存为 PDF。</translation>
    </message>
    <message>
        <source>Print anyway?</source>
        <translation>仍然打印吗？</translation>
    </message>
    <message>
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
    <message>
        <source>Printing was stopped. Pages already sent to the printer may still come out; nothing was recorded as printed.</source>
        <translation>打印已停止。已送到打印机的页面可能仍会打出；没有任何内容被记为已打印。</translation>
    </message>
    <message>
        <source>The printer did not take the document: {reason}. Check that it is switched on and has paper, then print again; nothing was recorded as printed.</source>
        <translation>打印机没有接收此文档：{reason}。请检查打印机已开机并装好纸，然后重新打印；没有任何内容被记为已打印。</translation>
    </message>
</context>
<context>
    <name>PriceDialog</name>
    <message>
        <source>Paid service</source>
        <translation>有偿服务</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>服务项目</translation>
    </message>
    <message>
        <source>Price (元)</source>
        <translation>价格（元）</translation>
    </message>
    <message>
        <source>Per</source>
        <translation>计价单位</translation>
    </message>
    <message>
        <source>Or how it is charged</source>
        <translation>或收费方式</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>PriceEntryDialog</name>
    <message>
        <source>Paid service {name}</source>
        <translation>有偿服务：{name}</translation>
    </message>
    <message>
        <source>New paid service</source>
        <translation>新增有偿服务</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Fee item</source>
        <translation>收费项目</translation>
    </message>
    <message>
        <source>Priced</source>
        <translation>计价方式</translation>
    </message>
    <message>
        <source>Price (yuan)</source>
        <translation>单价（元）</translation>
    </message>
    <message>
        <source>Per</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>个, 次, 小时 …</source>
        <translation>个、次、小时……</translation>
    </message>
    <message>
        <source>Share (%)</source>
        <translation>比例（%）</translation>
    </message>
    <message>
        <source>Of</source>
        <translation>计费基数</translation>
    </message>
    <message>
        <source>月租金 …</source>
        <translation>月租金……</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>启用</translation>
    </message>
</context>
<context>
    <name>RefuseDialog</name>
    <message>
        <source>Refuse a parcel</source>
        <translation>拒收包裹</translation>
    </message>
    <message>
        <source>Tracking number</source>
        <translation>快递单号</translation>
    </message>
    <message>
        <source>Courier</source>
        <translation>快递公司</translation>
    </message>
    <message>
        <source>Why it is refused</source>
        <translation>拒收原因</translation>
    </message>
    <message>
        <source>fragile, valuable, too large …</source>
        <translation>易碎、贵重、过大……</translation>
    </message>
</context>
<context>
    <name>RegisterTab</name>
    <message>
        <source>Print the list…</source>
        <translation>打印清单…</translation>
    </message>
    <message>
        <source>Choose an entry in the list first</source>
        <translation>请先在列表中选择一条</translation>
    </message>
</context>
<context>
    <name>RegistersPage</name>
    <message>
        <source>Messages</source>
        <translation>留言转告</translation>
    </message>
    <message>
        <source>Shift handovers</source>
        <translation>交接班</translation>
    </message>
    <message>
        <source>Visitors</source>
        <translation>访客</translation>
    </message>
    <message>
        <source>Release passes</source>
        <translation>放行条</translation>
    </message>
    <message>
        <source>Left at the desk</source>
        <translation>寄存与信件</translation>
    </message>
    <message>
        <source>Patrols</source>
        <translation>巡查</translation>
    </message>
    <message>
        <source>Facilities</source>
        <translation>设施设备</translation>
    </message>
    <message>
        <source>Incidents</source>
        <translation>突发事件</translation>
    </message>
</context>
<context>
    <name>RenovationTab</name>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>House</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Contractor</source>
        <translation>施工单位</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Next step</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>Works end</source>
        <translation>计划完工</translation>
    </message>
    <message>
        <source>Closed ones too</source>
        <translation>含已结束的</translation>
    </message>
    <message>
        <source>New application…</source>
        <translation>新装修申请…</translation>
    </message>
    <message>
        <source>Month&apos;s counts…</source>
        <translation>本月统计…</translation>
    </message>
    <message>
        <source>Print the list…</source>
        <translation>打印台账…</translation>
    </message>
    <message>
        <source>Renovations</source>
        <translation>装修</translation>
    </message>
    <message>
        <source>Inspect…</source>
        <translation>巡查…</translation>
    </message>
    <message>
        <source>Waterproofing test</source>
        <translation>闭水试验</translation>
    </message>
    <message>
        <source>Start a test…</source>
        <translation>开始试验…</translation>
    </message>
    <message>
        <source>Read the test…</source>
        <translation>查验试验…</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>Application and approval form</source>
        <translation>装修申请审批表</translation>
    </message>
    <message>
        <source>Agreement and fire-safety pledge</source>
        <translation>装修管理协议与防火责任书</translation>
    </message>
    <message>
        <source>Permit for the door</source>
        <translation>装修许可证</translation>
    </message>
    <message>
        <source>Workers&apos; passes</source>
        <translation>施工人员出入证</translation>
    </message>
    <message>
        <source>Rectification notice</source>
        <translation>整改通知单</translation>
    </message>
    <message>
        <source>More</source>
        <translation>更多</translation>
    </message>
    <message>
        <source>Rectification put right…</source>
        <translation>整改复查…</translation>
    </message>
    <message>
        <source>More workers…</source>
        <translation>增加施工人员…</translation>
    </message>
    <message>
        <source>More time…</source>
        <translation>延期…</translation>
    </message>
    <message>
        <source>Not approved…</source>
        <translation>不予批准…</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>What</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Found or result</source>
        <translation>发现/结果</translation>
    </message>
    <message>
        <source>The chosen renovation</source>
        <translation>选中的装修</translation>
    </message>
    <message>
        <source>{n} open, {working} with works going on, {late} late.</source>
        <translation>未结束 {n} 户，施工中 {working} 户，逾期 {late} 项。</translation>
    </message>
    <message>
        <source>Choose a renovation in the list, or make a new application (Ctrl+N).</source>
        <translation>请在列表中选择装修，或新建装修申请（Ctrl+N）。</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已结束</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>期限</translation>
    </message>
    <message>
        <source>A cashier refunds the deposit, with a supervisor&apos;s approval</source>
        <translation>由收费员办理退还保证金，须主管批准</translation>
    </message>
    <message>
        <source>Contractor: {c} ({licence}); touches: {risks}</source>
        <translation>施工单位：{c}（{licence}）；涉及：{risks}</translation>
    </message>
    <message numerus="yes">
        <source>%n worker(s): {names}</source>
        <translation>
            <numerusform>施工人员 %n 人：{names}</numerusform>
        </translation>
    </message>
    <message>
        <source>Works {start} to {end}; {scope}</source>
        <translation>工期 {start} 至 {end}；{scope}</translation>
    </message>
    <message>
        <source>Deposit {deposit} and debris fee {debris} on receipt {receipt}</source>
        <translation>保证金 {deposit}、垃圾清运费 {debris}，收据 {receipt}</translation>
    </message>
    <message>
        <source>Refunded on {doc}; kept {kept}</source>
        <translation>已退还，单据 {doc}；扣款：{kept}</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Not approved: {reason}</source>
        <translation>不予批准：{reason}</translation>
    </message>
    <message>
        <source>Before the final inspection:</source>
        <translation>验收前须：</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>Final inspection</source>
        <translation>竣工验收</translation>
    </message>
    <message>
        <source>Inspection</source>
        <translation>巡查</translation>
    </message>
    <message>
        <source>debris not taken away</source>
        <translation>装修垃圾未清运</translation>
    </message>
    <message>
        <source>works outside the permitted hours</source>
        <translation>非允许时间施工</translation>
    </message>
    <message>
        <source>Passed</source>
        <translation>合格</translation>
    </message>
    <message>
        <source>Not passed</source>
        <translation>不合格</translation>
    </message>
    <message>
        <source>Checked {when}</source>
        <translation>{when} 已复查</translation>
    </message>
    <message>
        <source>Open, by {day}</source>
        <translation>未完成，期限 {day}</translation>
    </message>
    <message>
        <source>Rectification {number}</source>
        <translation>整改 {number}</translation>
    </message>
    <message>
        <source>Running, read from {when}</source>
        <translation>进行中，{when} 起可查验</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>不合格</translation>
    </message>
    <message>
        <source>{number}: the application and its papers are complete.</source>
        <translation>{number}：申请及资料齐全。</translation>
    </message>
    <message>
        <source>Remark</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>As the engineer signed the application form.</source>
        <translation>按工程人员在申请表上的签字登记。</translation>
    </message>
    <message>
        <source>Engineer</source>
        <translation>工程人员</translation>
    </message>
    <message>
        <source>Opinion</source>
        <translation>意见</translation>
    </message>
    <message>
        <source>{number} {house}: the supervisor approves the works.</source>
        <translation>{number} {house}：由主管审批装修。</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <source>{number} is approved already.</source>
        <translation>{number} 已审批。</translation>
    </message>
    <message>
        <source>Not approved</source>
        <translation>不予批准</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Have the owner and the contractor signed the application, the agreement, the renovation rules and the fire-safety pledge?</source>
        <translation>业主和施工单位是否已在申请表、装修管理协议、装修注意事项和防火责任书上签字？</translation>
    </message>
    <message>
        <source>Inspect {number}</source>
        <translation>巡查 {number}</translation>
    </message>
    <message>
        <source>Debris bagged and taken away today</source>
        <translation>装修垃圾已袋装并当日清运</translation>
    </message>
    <message>
        <source>Works going on outside the permitted hours ({start}:00–{end}:00)</source>
        <translation>在允许时间（{start}:00–{end}:00）以外施工</translation>
    </message>
    <message>
        <source>Found</source>
        <translation>发现</translation>
    </message>
    <message>
        <source>Issue a rectification notice</source>
        <translation>开具整改通知单</translation>
    </message>
    <message>
        <source>To put right</source>
        <translation>整改要求</translation>
    </message>
    <message>
        <source>Within (days)</source>
        <translation>期限（天）</translation>
    </message>
    <message>
        <source>No rectification is open.</source>
        <translation>没有未完成的整改。</translation>
    </message>
    <message>
        <source>Rectification put right</source>
        <translation>整改复查</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>通知单</translation>
    </message>
    <message>
        <source>Checked</source>
        <translation>复查情况</translation>
    </message>
    <message>
        <source>Start a waterproofing test</source>
        <translation>开始闭水试验</translation>
    </message>
    <message>
        <source>It runs {hours} hours from now before it is read.</source>
        <translation>从现在起满 {hours} 小时后查验。</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>试验</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>部位</translation>
    </message>
    <message>
        <source>Bathroom</source>
        <translation>卫生间</translation>
    </message>
    <message>
        <source>Kitchen</source>
        <translation>厨房</translation>
    </message>
    <message>
        <source>Balcony</source>
        <translation>阳台</translation>
    </message>
    <message>
        <source>No test is running.</source>
        <translation>没有正在进行的试验。</translation>
    </message>
    <message>
        <source>Read the waterproofing test</source>
        <translation>查验闭水试验</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Passed: no leak</source>
        <translation>合格：无渗漏</translation>
    </message>
    <message>
        <source>Failed: it leaked</source>
        <translation>不合格：有渗漏</translation>
    </message>
    <message>
        <source>Seen</source>
        <translation>查验情况</translation>
    </message>
    <message>
        <source>Final inspection of {number}</source>
        <translation>{number} 竣工验收</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>验收合格</translation>
    </message>
    <message>
        <source>Not accepted: the works go on</source>
        <translation>验收不合格：继续施工整改</translation>
    </message>
    <message>
        <source>One a line: the amount, then what it is for (200 电梯轿厢壁板损坏)</source>
        <translation>每行一项：金额 原因（200 电梯轿厢壁板损坏）</translation>
    </message>
    <message>
        <source>Refund the deposit</source>
        <translation>退还保证金</translation>
    </message>
    <message>
        <source>{number} {house}: the deposit of {deposit} is paid back, less any deductions.</source>
        <translation>{number} {house}：退还保证金 {deposit}，扣除扣款项。</translation>
    </message>
    <message>
        <source>Deductions</source>
        <translation>扣款</translation>
    </message>
    <message>
        <source>Paid back by</source>
        <translation>退款方式</translation>
    </message>
    <message>
        <source>Receipt {number}</source>
        <translation>收据 {number}</translation>
    </message>
    <message>
        <source>More workers</source>
        <translation>增加施工人员</translation>
    </message>
    <message>
        <source>Workers</source>
        <translation>施工人员</translation>
    </message>
    <message>
        <source>One a line: name, ID number, phone, trade</source>
        <translation>每行一人：姓名 身份证号 电话 工种</translation>
    </message>
    <message>
        <source>More time for {number}</source>
        <translation>{number} 延期</translation>
    </message>
    <message>
        <source>The permit and the workers&apos; passes run to the new end.</source>
        <translation>装修许可证和施工人员出入证一并延至新的完工日期。</translation>
    </message>
    <message>
        <source>Renovations this month</source>
        <translation>本月装修统计</translation>
    </message>
    <message>
        <source>{month}: {applied} applied, {started} started, {finished} accepted, {refunded} deposits refunded; {held_count} deposits held at the month&apos;s end, {held} in all.</source>
        <translation>{month}：申请 {applied} 户，开工 {started} 户，验收 {finished} 户，退保证金 {refunded} 户；月末在押保证金 {held_count} 户，共 {held}。</translation>
    </message>
    <message>
        <source>The permit is issued once the papers are signed and the money taken.</source>
        <translation>文件签字并收费后方可发放装修许可证。</translation>
    </message>
    <message>
        <source>The passes are printed with the permit.</source>
        <translation>出入证随装修许可证一同打印。</translation>
    </message>
    <message>
        <source>No rectification notice was issued.</source>
        <translation>尚未开具整改通知单。</translation>
    </message>
    <message>
        <source>Rectification notice {number}</source>
        <translation>整改通知单 {number}</translation>
    </message>
</context>
<context>
    <name>RepairsTab</name>
    <message>
        <source>Take a repair in</source>
        <translation>报修登记</translation>
    </message>
    <message>
        <source>House</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>Reported by</source>
        <translation>报修人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>What</source>
        <translation>报修内容</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <source>By</source>
        <translation>报修方式</translation>
    </message>
    <message>
        <source>Take it in</source>
        <translation>登记</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>单号</translation>
    </message>
    <message>
        <source>House or place</source>
        <translation>房号/地点</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Technician</source>
        <translation>维修人员</translation>
    </message>
    <message>
        <source>Next deadline</source>
        <translation>下一时限</translation>
    </message>
    <message>
        <source>3-2-1201 or empty</source>
        <translation>3-2-1201 或不填</translation>
    </message>
    <message>
        <source>The house, as 3-2-1201; empty for a public place, said under Where</source>
        <translation>房号，如 3-2-1201；公共部位不填，在“地点”中写明</translation>
    </message>
    <message>
        <source>bathroom, lift hall</source>
        <translation>卫生间、电梯厅</translation>
    </message>
    <message>
        <source>Where in the house or the estate: bathroom ceiling, lift hall of building 3 …</source>
        <translation>房屋内或小区内的位置：卫生间顶棚、3栋电梯厅……</translation>
    </message>
    <message>
        <source>ceiling dripping …</source>
        <translation>如：顶棚滴水……</translation>
    </message>
    <message>
        <source>What the owner reports: ceiling dripping …; Enter takes the repair in</source>
        <translation>业主反映的问题，如：顶棚滴水……；按回车即登记</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>Answer…</source>
        <translation>答复…</translation>
    </message>
    <message>
        <source>Dispatch…</source>
        <translation>派工…</translation>
    </message>
    <message>
        <source>Work order</source>
        <translation>派工单</translation>
    </message>
    <message>
        <source>Done…</source>
        <translation>完工…</translation>
    </message>
    <message>
        <source>Return visit…</source>
        <translation>回访…</translation>
    </message>
    <message>
        <source>Cancel…</source>
        <translation>撤销…</translation>
    </message>
    <message>
        <source>Month&apos;s figures…</source>
        <translation>月度指标…</translation>
    </message>
    <message>
        <source>History…</source>
        <translation>历史记录…</translation>
    </message>
    <message>
        <source>Technicians…</source>
        <translation>维修人员…</translation>
    </message>
    <message>
        <source>Open repairs</source>
        <translation>未结报修</translation>
    </message>
    <message>
        <source>{state} (answered)</source>
        <translation>{state}（已答复）</translation>
    </message>
    <message>
        <source>No such house: {text}</source>
        <translation>没有这个房号：{text}</translation>
    </message>
    <message>
        <source>Reported</source>
        <translation>报修时间</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>完工时间</translation>
    </message>
    <message>
        <source>Repairs of {house}</source>
        <translation>{house} 的报修</translation>
    </message>
    <message>
        <source>The newest first; type a house in the intake to see its own.</source>
        <translation>最新的在前；在登记栏输入房号，只看该户的。</translation>
    </message>
    <message>
        <source>{number}: {state}.</source>
        <translation>{number}：{state}。</translation>
    </message>
    <message>
        <source>{number}: {state}. {what} by {due}.</source>
        <translation>{number}：{state}。{what}期限 {due}。</translation>
    </message>
    <message>
        <source>Month&apos;s figures</source>
        <translation>月度指标</translation>
    </message>
    <message>
        <source>Month:</source>
        <translation>月份：</translation>
    </message>
    <message>
        <source>Write the month as 2026-11</source>
        <translation>月份请写成 2026-11</translation>
    </message>
    <message>
        <source>Technician {name}</source>
        <translation>维修人员 {name}</translation>
    </message>
    <message>
        <source>All repairs</source>
        <translation>全部维修</translation>
    </message>
    <message>
        <source>Of</source>
        <translation>范围</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完工数</translation>
    </message>
    <message>
        <source>On time</source>
        <translation>及时率</translation>
    </message>
    <message>
        <source>Repeat repairs</source>
        <translation>返修数</translation>
    </message>
    <message>
        <source>Visits due</source>
        <translation>应回访</translation>
    </message>
    <message>
        <source>Visits made</source>
        <translation>回访率</translation>
    </message>
    <message>
        <source>Repairs, {month}</source>
        <translation>维修月度指标 {month}</translation>
    </message>
    <message>
        <source>Targets: on time ≥ {on_time} %, repeat repairs {repeats}, return visits {visits} %</source>
        <translation>指标：及时率 ≥ {on_time} %，返修 {repeats} 次，回访率 {visits} %</translation>
    </message>
    <message>
        <source>{state}, rework {n}</source>
        <translation>{state}，第 {n} 次返修</translation>
    </message>
    <message>
        <source>{n} open, {late} past a deadline.</source>
        <translation>未结 {n} 单，超时 {late} 单。</translation>
    </message>
    <message>
        <source>Repairs</source>
        <translation>报修</translation>
    </message>
    <message>
        <source>Choose a repair in the list first</source>
        <translation>请先在列表中选择报修单</translation>
    </message>
    <message>
        <source>No such house</source>
        <translation>没有此房屋</translation>
    </message>
    <message>
        <source>{number} taken in. Tell the owner: we answer about dispatch by {due}.</source>
        <translation>{number} 已登记。请告知业主：{due} 前答复派工安排。</translation>
    </message>
    <message>
        <source>Answer the owner</source>
        <translation>答复业主</translation>
    </message>
    <message>
        <source>What the owner was told about dispatch ({number}):</source>
        <translation>已告知业主的派工安排（{number}）：</translation>
    </message>
    <message>
        <source>Work order {number}</source>
        <translation>派工单 {number}</translation>
    </message>
    <message>
        <source>Cancel a repair</source>
        <translation>撤销报修</translation>
    </message>
    <message>
        <source>Why is {number} cancelled?</source>
        <translation>{number} 撤销原因：</translation>
    </message>
</context>
<context>
    <name>ReplacedDialog</name>
    <message>
        <source>Meter replaced — {house}</source>
        <translation>换表 — {house}</translation>
    </message>
    <message>
        <source>Last month&apos;s reading: {n}</source>
        <translation>上月读数：{n}</translation>
    </message>
    <message>
        <source>Old meter&apos;s last reading</source>
        <translation>旧表止码</translation>
    </message>
    <message>
        <source>New meter&apos;s first reading</source>
        <translation>新表起码</translation>
    </message>
    <message>
        <source>New meter&apos;s reading now</source>
        <translation>新表本次读数</translation>
    </message>
</context>
<context>
    <name>ResaleDialog</name>
    <message>
        <source>House sold</source>
        <translation>过户</translation>
    </message>
    <message>
        <source>{house}: sold by {owners}.</source>
        <translation>{house}：原业主 {owners}。</translation>
    </message>
    <message>
        <source>Owed today: {owed}.</source>
        <translation>截至今日欠费：{owed}。</translation>
    </message>
    <message>
        <source>Held for the house, moved across to the new owner: {held}.</source>
        <translation>代管款项（转给新业主）：{held}。</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Standing key authorisation ends for: {names}.</source>
        <translation>以下常年钥匙委托随之终止：{names}。</translation>
    </message>
    <message>
        <source>The desk keeps {n} of the house&apos;s keys: they stay with the house.</source>
        <translation>前台代管本户钥匙 {n} 把：随房屋移交。</translation>
    </message>
    <message>
        <source>Sold on</source>
        <translation>过户日期</translation>
    </message>
    <message>
        <source>What is owed</source>
        <translation>欠费处理</translation>
    </message>
    <message>
        <source>New owner</source>
        <translation>新业主</translation>
    </message>
    <message>
        <source>ID document</source>
        <translation>证件类型</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>The old household moves out ({names})</source>
        <translation>原住户迁出（{names}）</translation>
    </message>
    <message>
        <source>nobody</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>The contract or the property certificate&apos;s number</source>
        <translation>买卖合同或不动产权证号</translation>
    </message>
</context>
<context>
    <name>ResidentDialog</name>
    <message>
        <source>Change resident {name}</source>
        <translation>修改住户 {name}</translation>
    </message>
    <message>
        <source>Add a household member or tenant</source>
        <translation>新增家庭成员或租户</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Relation to the owner</source>
        <translation>与业主关系</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>年龄</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(无)</translation>
    </message>
    <message>
        <source>Resident category</source>
        <translation>人口类别</translation>
    </message>
    <message>
        <source>Moved in</source>
        <translation>入住日期</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>RestoreDialog</name>
    <message>
        <source>Restore from a backup</source>
        <translation>从备份恢复</translation>
    </message>
    <message>
        <source>Restoring replaces all of this office&apos;s data with the backup&apos;s. The data as it is now is copied aside first. Other PCs must close EstateDesk before you go on.</source>
        <translation>恢复会用备份中的数据替换本物业的全部数据，替换前会先另存一份现在的数据。继续之前，其他电脑必须先关闭物业服务台。</translation>
    </message>
    <message>
        <source>the backup file (.edbackup): type its path or choose it</source>
        <translation>备份文件（.edbackup）：输入路径或点“选择…”</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Backup file</source>
        <translation>备份文件</translation>
    </message>
    <message>
        <source>only for a backup made with a password</source>
        <translation>仅加密的备份需要</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>an administrator&apos;s user name</source>
        <translation>管理员的用户名</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>the administrator&apos;s own password, to sign the restore</source>
        <translation>管理员本人的密码，用于确认恢复</translation>
    </message>
    <message>
        <source>Administrator&apos;s password</source>
        <translation>管理员密码</translation>
    </message>
    <message>
        <source>&amp;Check the backup</source>
        <translation>检查备份(&amp;C)</translation>
    </message>
    <message>
        <source>Choose a backup file and check it: what it holds is shown here.</source>
        <translation>请选择备份文件并检查，备份的内容将显示在这里。</translation>
    </message>
    <message>
        <source>&amp;Restore</source>
        <translation>恢复(&amp;R)</translation>
    </message>
    <message>
        <source>EstateDesk backups (*.edbackup)</source>
        <translation>物业服务台备份 (*.edbackup)</translation>
    </message>
    <message>
        <source>Checking the backup…</source>
        <translation>正在检查备份…</translation>
    </message>
    <message>
        <source>Made {at} for {office}</source>
        <translation>{office}，备份于 {at}</translation>
    </message>
    <message>
        <source>Data version {version}; the file is {mb} MB and passed every check</source>
        <translation>数据版本 {version}；文件 {mb} MB，各项检查均已通过</translation>
    </message>
    <message numerus="yes">
        <source>%n scanned document(s)</source>
        <translation>
            <numerusform>扫描件 %n 份</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Everything entered after it (%n day(s)) will be gone from the restored data.</source>
        <translation>
            <numerusform>备份之后（%n 天内）录入的内容，恢复后都将不复存在。</numerusform>
        </translation>
    </message>
    <message>
        <source>Houses</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>Owners</source>
        <translation>业主</translation>
    </message>
    <message>
        <source>Residents</source>
        <translation>住户</translation>
    </message>
    <message>
        <source>Charges</source>
        <translation>应收</translation>
    </message>
    <message>
        <source>Receipts</source>
        <translation>收据</translation>
    </message>
    <message>
        <source>Repairs</source>
        <translation>报修</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Parcels</source>
        <translation>包裹</translation>
    </message>
    <message>
        <source>Replace this office&apos;s data with the backup of {at}? The data as it is now is kept aside.</source>
        <translation>用 {at} 的备份替换本物业的数据吗？现在的数据会另存一份。</translation>
    </message>
    <message>
        <source>Restoring…</source>
        <translation>正在恢复…</translation>
    </message>
    <message>
        <source>Enter an administrator&apos;s user name and password: a restore is signed by an administrator.</source>
        <translation>请输入管理员的用户名和密码：恢复须由管理员确认。</translation>
    </message>
    <message>
        <source>This backup is of another office: {theirs}. This office is {ours}. Replace all of {ours}&apos;s data with {theirs}&apos;s?</source>
        <translation>此备份属于另一个管理处：{theirs}。本处是 {ours}。要用{theirs}的数据替换{ours}的全部数据吗？</translation>
    </message>
    <message>
        <source>Restored. The data as it was before is kept in {file}. Sign in again.</source>
        <translation>已恢复。恢复前的数据保存在 {file}。请重新登录。</translation>
    </message>
</context>
<context>
    <name>ReturnItemDialog</name>
    <message>
        <source>{name} ({tag}) back from {borrower}</source>
        <translation>{borrower} 归还 {name}（{tag}）</translation>
    </message>
    <message>
        <source>Lent {at} in this condition: {condition}</source>
        <translation>{at} 借出时状况：{condition}</translation>
    </message>
    <message>
        <source>Condition now, checked together</source>
        <translation>归还时状况（当面查验）</translation>
    </message>
    <message>
        <source>Lost</source>
        <translation>遗失</translation>
    </message>
    <message>
        <source>the item did not come back</source>
        <translation>物品未归还（遗失）</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>签名</translation>
    </message>
    <message>
        <source>The borrower signs here</source>
        <translation>借用人在此签名</translation>
    </message>
</context>
<context>
    <name>RouteDialog</name>
    <message>
        <source>Patrol route</source>
        <translation>巡查路线</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>路线</translation>
    </message>
    <message>
        <source>Checkpoints, in walking order, one a line</source>
        <translation>巡查点（按巡查顺序，每行一个）</translation>
    </message>
</context>
<context>
    <name>ServiceDesk</name>
    <message>
        <source>{d} d {h} h</source>
        <translation>{d} 天 {h} 小时</translation>
    </message>
    <message>
        <source>{h} h {m} min</source>
        <translation>{h} 小时 {m} 分钟</translation>
    </message>
    <message>
        <source>{m} min</source>
        <translation>{m} 分钟</translation>
    </message>
    <message>
        <source>{span} overdue</source>
        <translation>超时 {span}</translation>
    </message>
    <message>
        <source>{span} left</source>
        <translation>剩 {span}</translation>
    </message>
</context>
<context>
    <name>ServicePage</name>
    <message>
        <source>Due now</source>
        <translation>到期事项</translation>
    </message>
    <message>
        <source>Repairs</source>
        <translation>报修</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>走访</translation>
    </message>
    <message>
        <source>Survey</source>
        <translation>意见征询</translation>
    </message>
    <message>
        <source>Vacant houses</source>
        <translation>空置房</translation>
    </message>
    <message>
        <source>Renovations</source>
        <translation>装修</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>This computer</source>
        <translation>本机</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>界面语言</translation>
    </message>
    <message>
        <source>In use now: {where}</source>
        <translation>当前使用：{where}</translation>
    </message>
    <message>
        <source>A file path, or postgresql://user:password@server/database for an office with several PCs</source>
        <translation>文件路径；多台电脑共用时填 postgresql://用户名：密码@服务器/数据库名</translation>
    </message>
    <message>
        <source>Use from next start</source>
        <translation>下次启动时使用</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>(the system&apos;s default printer)</source>
        <translation>(系统默认打印机)</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <source>right</source>
        <translation>向右</translation>
    </message>
    <message>
        <source>down</source>
        <translation>向下</translation>
    </message>
    <message>
        <source>Save offsets</source>
        <translation>保存偏移</translation>
    </message>
    <message>
        <source>Print calibration page…</source>
        <translation>打印校准页…</translation>
    </message>
    <message>
        <source>Printer offsets</source>
        <translation>打印偏移</translation>
    </message>
    <message>
        <source>Carbonless stock: one pass for all three copies</source>
        <translation>无碳复写纸：一次打出三联</translation>
    </message>
    <message>
        <source>Forms with printed numbers</source>
        <translation>预印号码收据</translation>
    </message>
    <message>
        <source>Receipt paper</source>
        <translation>收据纸张</translation>
    </message>
    <message>
        <source>Forms</source>
        <translation>单据格式</translation>
    </message>
    <message>
        <source>Estate profile</source>
        <translation>小区概况</translation>
    </message>
    <message>
        <source>In the archive now: {buildings} buildings, {houses} houses, {shops} shops, {area} m²</source>
        <translation>档案中现有：{buildings} 栋楼，{houses} 户，商铺 {shops} 间，面积 {area} m²</translation>
    </message>
    <message>
        <source>Save estate profile</source>
        <translation>保存小区概况</translation>
    </message>
    <message>
        <source>Office rules</source>
        <translation>办公规则</translation>
    </message>
    <message>
        <source>Save office rules</source>
        <translation>保存办公规则</translation>
    </message>
    <message>
        <source>Sample receipt…</source>
        <translation>收据样张…</translation>
    </message>
    <message>
        <source>A receipt with made-up payments, in the saved wording</source>
        <translation>用示例收费数据和已保存的措辞生成一张收据</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Add user…</source>
        <translation>新增用户…</translation>
    </message>
    <message>
        <source>Change user…</source>
        <translation>修改用户…</translation>
    </message>
    <message>
        <source>(sample)</source>
        <translation>（样张）</translation>
    </message>
    <message>
        <source>Sample receipt</source>
        <translation>收据样张</translation>
    </message>
    <message>
        <source>The new language is used from the next start of EstateDesk.</source>
        <translation>新的界面语言将在下次启动物业服务台时生效。</translation>
    </message>
    <message>
        <source>Calibration page</source>
        <translation>打印校准页</translation>
    </message>
    <message>
        <source>EstateDesk opens this database from its next start.</source>
        <translation>物业服务台将在下次启动时打开这个数据库。</translation>
    </message>
    <message>
        <source>Beijing time</source>
        <translation>北京时间</translation>
    </message>
    <message>
        <source>Xinjiang time</source>
        <translation>新疆时间</translation>
    </message>
    <message>
        <source>Hong Kong time</source>
        <translation>香港时间</translation>
    </message>
    <message>
        <source>Macao time</source>
        <translation>澳门时间</translation>
    </message>
    <message>
        <source>Taipei time</source>
        <translation>台北时间</translation>
    </message>
    <message>
        <source>Singapore time</source>
        <translation>新加坡时间</translation>
    </message>
    <message>
        <source>Kuala Lumpur time</source>
        <translation>吉隆坡时间</translation>
    </message>
    <message>
        <source>Bangkok time</source>
        <translation>曼谷时间</translation>
    </message>
    <message>
        <source>Tokyo time</source>
        <translation>东京时间</translation>
    </message>
    <message>
        <source>Seoul time</source>
        <translation>首尔时间</translation>
    </message>
    <message>
        <source>London time</source>
        <translation>伦敦时间</translation>
    </message>
    <message>
        <source>Coordinated Universal Time</source>
        <translation>协调世界时</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Buildings</source>
        <translation>影响楼栋</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>End</source>
        <translation>结束时间</translation>
    </message>
    <message>
        <source>What residents should do</source>
        <translation>请住户配合事项</translation>
    </message>
    <message>
        <source>House</source>
        <translation>房号</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>业主</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Total owed</source>
        <translation>欠费合计</translation>
    </message>
    <message>
        <source>Late fee</source>
        <translation>违约金</translation>
    </message>
    <message>
        <source>Months owed</source>
        <translation>欠费月数</translation>
    </message>
    <message>
        <source>Due day</source>
        <translation>缴费截止日</translation>
    </message>
    <message>
        <source>Late fee rate</source>
        <translation>违约金日费率</translation>
    </message>
    <message>
        <source>Pay by</source>
        <translation>缴清期限</translation>
    </message>
    <message>
        <source>Office phone</source>
        <translation>管理处电话</translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation>收款人</translation>
    </message>
    <message>
        <source>Values only (套打): the stock has the rest printed on it</source>
        <translation>只打数据(套打)：其余内容已印在纸上</translation>
    </message>
    <message>
        <source>Import form…</source>
        <translation>导入格式…</translation>
    </message>
    <message>
        <source>Export form…</source>
        <translation>导出格式…</translation>
    </message>
    <message>
        <source>Design…</source>
        <translation>设计…</translation>
    </message>
    <message>
        <source>Unlock user</source>
        <translation>解锁用户</translation>
    </message>
    <message>
        <source>A user locked after too many wrong passwords may sign in again at once</source>
        <translation>因密码输错次数过多被锁定的用户可立即重新登录</translation>
    </message>
    <message>
        <source>Insert:</source>
        <translation>插入：</translation>
    </message>
    <message>
        <source>In use now: {language} (for this start only); the choice above is used from the next start.</source>
        <translation>当前使用：{language}（仅本次启动）；上面的选择从下次启动起生效。</translation>
    </message>
    <message>
        <source>The built-in layout</source>
        <translation>程序自带格式</translation>
    </message>
    <message>
        <source>Import form</source>
        <translation>导入格式</translation>
    </message>
    <message>
        <source>EstateDesk forms (*.json)</source>
        <translation>物业服务台格式文件 (*.json)</translation>
    </message>
    <message>
        <source>The office has a form named {name} already. Replace it with this one?</source>
        <translation>已有名为 {name} 的格式。用这个文件替换它吗？</translation>
    </message>
    <message>
        <source>Export form</source>
        <translation>导出格式</translation>
    </message>
    <message>
        <source>The file cannot be written: {reason}</source>
        <translation>无法写入文件：{reason}</translation>
    </message>
    <message>
        <source>The server answered. EstateDesk opens this database from its next start.</source>
        <translation>服务器已响应。物业服务台将在下次启动时打开这个数据库。</translation>
    </message>
    <message>
        <source>The folder {folder} does not exist</source>
        <translation>文件夹 {folder} 不存在</translation>
    </message>
    <message>
        <source>There is no database at {path} yet: a new, empty office database will be made there at the next start.</source>
        <translation>{path} 还没有数据库：下次启动时将在那里新建一个空的数据库。</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source> (inactive)</source>
        <translation>(已停用)</translation>
    </message>
    <message>
        <source> (locked until {time})</source>
        <translation>（锁定至 {time}）</translation>
    </message>
    <message>
        <source>Choose a user first</source>
        <translation>请先选中一个用户</translation>
    </message>
    <message>
        <source>{name} may sign in again.</source>
        <translation>{name} 可以重新登录了。</translation>
    </message>
    <message>
        <source>Every form printed uses up its number: a receipt too long for one form takes the next numbers for its continuation forms (three copies on plain forms take three), and a reprint goes on the next blank forms, whose numbers are recorded</source>
        <translation>每打印一张表单就用掉它的号码：一张收据超出一张表单时，续页依次占用后面的号码（普通纸打印三联时占用三个），补打用下一张空白表单，其号码会被记录</translation>
    </message>
    <message>
        <source>Slip paper</source>
        <translation>单据纸张</translation>
    </message>
    <message>
        <source>Key and item loan slips and repair work orders</source>
        <translation>钥匙借用单、物品借用单和维修派工单</translation>
    </message>
</context>
<context>
    <name>SharedTotalDialog</name>
    <message>
        <source>Shared total for {period}</source>
        <translation>{period} 公摊</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>收费项目</translation>
    </message>
    <message>
        <source>Shared among</source>
        <translation>分摊范围</translation>
    </message>
    <message>
        <source>The whole estate</source>
        <translation>全小区</translation>
    </message>
    <message>
        <source>Amount to share (元)</source>
        <translation>分摊金额(元)</translation>
    </message>
    <message>
        <source>the bill less the office&apos;s own use and landscaping</source>
        <translation>账单金额减去物业自用和绿化用量</translation>
    </message>
    <message>
        <source>Shared</source>
        <translation>分摊方式</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>SignatureBox</name>
    <message>
        <source>Clear</source>
        <translation>重签</translation>
    </message>
</context>
<context>
    <name>SpoilDialog</name>
    <message>
        <source>Spoiled form {number}</source>
        <translation>作废空白收据 {number}</translation>
    </message>
    <message>
        <source>What happened to it</source>
        <translation>作废原因</translation>
    </message>
    <message>
        <source>jammed in the printer, torn …</source>
        <translation>卡纸、撕坏……</translation>
    </message>
</context>
<context>
    <name>StepDialog</name>
    <message>
        <source>{number}: a step</source>
        <translation>{number}：记录处置</translation>
    </message>
    <message>
        <source>No step yet.</source>
        <translation>还没有处置记录。</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>环节</translation>
    </message>
    <message>
        <source>At</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>the lift company, the manager, 119…</source>
        <translation>电梯公司、经理、119……</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
</context>
<context>
    <name>SubscribeDialog</name>
    <message>
        <source>Bill {name} to houses</source>
        <translation>批量开通{name}</translation>
    </message>
    <message>
        <source>Houses</source>
        <translation>户数</translation>
    </message>
    <message>
        <source>The whole estate</source>
        <translation>全小区</translation>
    </message>
    <message>
        <source>From (or the handover, when later)</source>
        <translation>起始日期（交房较晚的从交房日起）</translation>
    </message>
</context>
<context>
    <name>SurveyDialog</name>
    <message>
        <source>Survey questions for {year}</source>
        <translation>{year} 年征询问卷</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Questions, one a line</source>
        <translation>问题（每行一个）</translation>
    </message>
</context>
<context>
    <name>SurveyTab</name>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>答卷数</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年度</translation>
    </message>
    <message>
        <source>Enter a house&apos;s answers…</source>
        <translation>录入答卷…</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Questions…</source>
        <translation>设置问卷…</translation>
    </message>
    <message>
        <source>Owners&apos; survey</source>
        <translation>业主意见征询</translation>
    </message>
    <message>
        <source>average {avg}  ({spread})</source>
        <translation>平均 {avg}（{spread}）</translation>
    </message>
    <message>
        <source>yes {yes}, no {no}</source>
        <translation>是 {yes}，否 {no}</translation>
    </message>
    <message>
        <source>No survey for this year yet</source>
        <translation>本年度尚未设置问卷</translation>
    </message>
    <message numerus="yes">
        <source>%n house(s) answered.</source>
        <translation>
            <numerusform>共 %n 户答卷。</numerusform>
        </translation>
    </message>
    <message>
        <source>Survey</source>
        <translation>意见征询</translation>
    </message>
    <message>
        <source>Set this year&apos;s questions first</source>
        <translation>请先设置本年度问卷</translation>
    </message>
</context>
<context>
    <name>TakeOverDialog</name>
    <message>
        <source>Take the shift over</source>
        <translation>接班</translation>
    </message>
    <message>
        <source>{name} handed the desk over at {at}.</source>
        <translation>{name} 于 {at} 交班。</translation>
    </message>
    <message>
        <source>Cash in the box: {cash} yuan — count it.</source>
        <translation>钱箱现金：{cash} 元，请清点。</translation>
    </message>
    <message numerus="yes">
        <source>%n open item(s):</source>
        <translation>
            <numerusform>%n 项未了事项：</numerusform>
        </translation>
    </message>
    <message>
        <source>My note</source>
        <translation>接班说明</translation>
    </message>
    <message>
        <source>the cash counted, anything not as said</source>
        <translation>现金已清点；与交班所说不符之处</translation>
    </message>
    <message>
        <source>My password</source>
        <translation>我的密码</translation>
    </message>
    <message>
        <source>Take over</source>
        <translation>接班</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>稍后</translation>
    </message>
</context>
<context>
    <name>Tasks</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>TechnicianDialog</name>
    <message>
        <source>Technicians</source>
        <translation>维修人员</translation>
    </message>
    <message>
        <source>Technician</source>
        <translation>维修人员</translation>
    </message>
    <message>
        <source>(a new one)</source>
        <translation>（新增）</translation>
    </message>
    <message>
        <source>{name} (off the list)</source>
        <translation>{name}（已停用）</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Trade</source>
        <translation>工种</translation>
    </message>
    <message>
        <source>plumbing and electrics, carpentry …</source>
        <translation>水电、木工……</translation>
    </message>
    <message>
        <source>On the list</source>
        <translation>在册</translation>
    </message>
    <message>
        <source>gets new orders</source>
        <translation>可接新单</translation>
    </message>
</context>
<context>
    <name>TodayPage</name>
    <message>
        <source>Due</source>
        <translation>时限</translation>
    </message>
    <message>
        <source>now</source>
        <translation>现在</translation>
    </message>
    <message>
        <source>What</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>About</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>no backup yet</source>
        <translation>尚未备份</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>back up now</source>
        <translation>现在就备份</translation>
    </message>
    <message>
        <source>Today, {day}</source>
        <translation>今日待办 {day}</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message numerus="yes">
        <source>%n thing(s) today, {late} overdue.</source>
        <translation>
            <numerusform>今日待办 %n 项，已超时 {late} 项。</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing is due today.</source>
        <translation>今日没有到期事项。</translation>
    </message>
</context>
<context>
    <name>UnitDialog</name>
    <message>
        <source>Add a unit to {building}</source>
        <translation>为 {building} 新增单元</translation>
    </message>
    <message>
        <source>Unit number</source>
        <translation>单元号</translation>
    </message>
    <message>
        <source>e.g. {example}</source>
        <translation>如 {example}</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
</context>
<context>
    <name>UserDialog</name>
    <message>
        <source>Change user {name}</source>
        <translation>修改用户 {name}</translation>
    </message>
    <message>
        <source>Add a user</source>
        <translation>新增用户</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>(unchanged)</source>
        <translation>(不修改)</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>启用</translation>
    </message>
</context>
<context>
    <name>VacantTab</name>
    <message>
        <source>House</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>业主</translation>
    </message>
    <message>
        <source>Last inspected</source>
        <translation>上次巡查</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>从未巡查</translation>
    </message>
    <message>
        <source>Next due</source>
        <translation>下次应巡查</translation>
    </message>
    <message>
        <source>Weeks missed</source>
        <translation>漏查周数</translation>
    </message>
    <message>
        <source>Vacant houses (inspected every {n} days)</source>
        <translation>空置房（每 {n} 天巡查一次）</translation>
    </message>
    <message>
        <source>Record an inspection…</source>
        <translation>登记巡查…</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>By</source>
        <translation>巡查人</translation>
    </message>
    <message>
        <source>All fine</source>
        <translation>全部正常</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Found</source>
        <translation>发现问题</translation>
    </message>
    <message>
        <source>Repair</source>
        <translation>维修单</translation>
    </message>
    <message>
        <source>Photo</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>Inspections of the chosen house</source>
        <translation>所选房屋的巡查记录</translation>
    </message>
    <message>
        <source>{n} vacant, {due} due now.</source>
        <translation>空置 {n} 户，现应巡查 {due} 户。</translation>
    </message>
    <message>
        <source>Vacant houses</source>
        <translation>空置房</translation>
    </message>
    <message>
        <source>Choose a house in the list first</source>
        <translation>请先在列表中选择一户</translation>
    </message>
</context>
<context>
    <name>VisitDialog</name>
    <message>
        <source>Return visit for {number}</source>
        <translation>回访 {number}</translation>
    </message>
    <message>
        <source>{what}; done by {tech}; due {due}</source>
        <translation>{what}；维修人员 {tech}；应于 {due} 前回访</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>回访结果</translation>
    </message>
    <message>
        <source>All well</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>A problem: back to the technician</source>
        <translation>有问题：返修给原维修人员</translation>
    </message>
    <message>
        <source>How</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>What the owner said</source>
        <translation>业主意见</translation>
    </message>
</context>
<context>
    <name>VisitorDialog</name>
    <message>
        <source>Sign a visitor in</source>
        <translation>访客登记</translation>
    </message>
    <message>
        <source>House visited</source>
        <translation>拜访房号</translation>
    </message>
    <message>
        <source>Visitor</source>
        <translation>访客</translation>
    </message>
    <message>
        <source>Let in by</source>
        <translation>同意人</translation>
    </message>
    <message>
        <source>who in the house said so, and how</source>
        <translation>住户中谁同意、如何确认</translation>
    </message>
    <message>
        <source>ID document</source>
        <translation>证件类型</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Vehicle plate</source>
        <translation>车牌号</translation>
    </message>
    <message>
        <source>People</source>
        <translation>人数</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>事由</translation>
    </message>
</context>
<context>
    <name>VisitorsTab</name>
    <message>
        <source>Visitors</source>
        <translation>访客登记</translation>
    </message>
    <message>
        <source>Name, house, plate, or the phone&apos;s or ID&apos;s last digits — Enter</source>
        <translation>姓名、房号、车牌或电话、证件尾号，回车查找</translation>
    </message>
    <message>
        <source>Still inside</source>
        <translation>只看未离开</translation>
    </message>
    <message>
        <source>In</source>
        <translation>进入</translation>
    </message>
    <message>
        <source>Visitor</source>
        <translation>访客</translation>
    </message>
    <message>
        <source>House</source>
        <translation>房号</translation>
    </message>
    <message>
        <source>Let in by</source>
        <translation>同意人</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Plate</source>
        <translation>车牌</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>事由</translation>
    </message>
    <message>
        <source>Out</source>
        <translation>离开</translation>
    </message>
    <message>
        <source>inside</source>
        <translation>未离开</translation>
    </message>
    <message>
        <source>Sign in…</source>
        <translation>登记访客…</translation>
    </message>
    <message>
        <source>Today&apos;s visitors</source>
        <translation>今日访客</translation>
    </message>
    <message>
        <source>{n} visitors, {inside} still inside.</source>
        <translation>共 {n} 位访客，{inside} 位未离开。</translation>
    </message>
    <message>
        <source>Choose the visitor going out</source>
        <translation>请先选择离开的访客</translation>
    </message>
    <message>
        <source>{name} went out at {at}</source>
        <translation>{name} 已于 {at} 离开</translation>
    </message>
</context>
<context>
    <name>VisitsTab</name>
    <message>
        <source>Clerk</source>
        <translation>客服人员</translation>
    </message>
    <message>
        <source>Building</source>
        <translation>楼栋</translation>
    </message>
    <message>
        <source>Houses</source>
        <translation>户数</translation>
    </message>
    <message>
        <source>Visited</source>
        <translation>已走访</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成率</translation>
    </message>
    <message>
        <source>Plan…</source>
        <translation>计划…</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Visit plans</source>
        <translation>走访计划</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>House</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>By</source>
        <translation>走访人</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Opinion</source>
        <translation>业主意见</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>跟进</translation>
    </message>
    <message>
        <source> (done)</source>
        <translation>（已跟进）</translation>
    </message>
    <message>
        <source>Visits this month</source>
        <translation>本月走访</translation>
    </message>
    <message>
        <source>Record a visit…</source>
        <translation>走访登记…</translation>
    </message>
    <message>
        <source>Followed up</source>
        <translation>已跟进</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>走访</translation>
    </message>
    <message>
        <source>{visits} visits to {houses} houses; problems: {problems}; follow-ups open: {open}</source>
        <translation>走访 {visits} 次，{houses} 户；问题：{problems}；待跟进 {open} 项</translation>
    </message>
    <message>
        <source>; recurring: {recurring}</source>
        <translation>；反复出现：{recurring}</translation>
    </message>
    <message>
        <source>Choose a visit in the list first</source>
        <translation>请先在列表中选择走访记录</translation>
    </message>
    <message>
        <source>Visits, {month}</source>
        <translation>走访记录 {month}</translation>
    </message>
</context>
</TS>
