/**
 * Stop words per language: words too common to tell texts apart. English is
 * the related engine's own list, tuned on news ("said", "year", "told" are
 * in it; "us" is the pronoun — `related/features.ts` keeps the country);
 * the others follow the Snowball project's lists (what PostgreSQL's
 * dictionaries drop), trimmed to the commonest words. Ukrainian has no
 * Snowball list: its commonest function words.
 *
 * @example
 *   isStopword('и', 'ru'); // true
 *   isStopword('новости', 'ru'); // false
 */
import { baseLanguage } from './languages.js';

const list = (words: string) => new Set(words.split(/\s+/).filter(Boolean));

const LISTS: Record<string, ReadonlySet<string>> = {
  en: list(`a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having he her
    here hers herself him himself his how i if in into is it its itself just let me more most my myself no nor not
    now of off on once only or other our ours ourselves out over own per said same says she should so some such than
    that the their theirs them themselves then there these they this those through to too under until up upon us
    very was we were what when where which while who whom why will with would you your yours yourself yourselves mr
    mrs ms new one two year years told say week according may might must shall get got including since among yet
    still well back via`),
  ru: list(`и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее её мне было
    вот от меня еще ещё нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него до вас нибудь опять
    уж вам ведь там потом себя ничего ей может они тут где есть надо ней для мы тебя их чем была сам чтоб без будто
    чего раз тоже себе под будет ж тогда кто этот того потому этого какой совсем ним здесь этом один почти мой тем
    чтобы нее неё сейчас были куда зачем всех никогда можно при наконец два об другой хоть после над больше тот через
    эти нас про всего них какая много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя
    такой им более всегда конечно всю между это также которые который которая которое которых году года заявил
    сообщил сказал`),
  uk: list(`і й та в у на з із зі до від по за про для без над під при через як що це ця цей ці той та те ті не ні
    так але або чи щоб якщо коли де тут там вже ще теж також лише тільки навіть бо адже а же ж би б був була було
    були буде будуть є бути він вона воно вони ми ви я ти його її їх їй йому ним нею них себе свій своя своє свої
    який яка яке які котрий хто чого чому вам нам вас нас мене тебе мені тобі все всі весь вся усі усе цього цієї
    цим цих тому там саме між після перед понад близько році року заявив повідомив сказав`),
  de: list(`aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes auch auf
    aus bei bin bis bist da damit dann das dass daß dasselbe dazu dein deine dem demselben den denn denselben der
    derer derselbe derselben des desselben dessen dich die dies diese dieselbe dieselben diesem diesen dieser dieses
    dir doch dort du durch ein eine einem einen einer eines einig einige einigem einigen einiger einiges einmal er es
    etwas euch euer eure für gegen gewesen hab habe haben hat hatte hatten hier hin hinter ich ihm ihn ihnen ihr ihre
    im in indem ins ist jede jedem jeden jeder jedes jene jenem jenen jener jenes jetzt kann kein keine können könnte
    machen man manche mein meine mich mir mit muss musste nach nicht nichts noch nun nur ob oder ohne sehr sein seine
    selbst sich sie sind so solche soll sollte sondern sonst über um und uns unser unsere unter viel vom von vor
    während war waren warst was weg weil weiter welche wenn werde werden wie wieder will wir wird wirst wo wollen
    wollte würde würden zu zum zur zwar zwischen`),
  fr: list(`au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me même mes moi
    mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous
    c d j l à m n s t y été étée étés étant suis es est sommes êtes sont serai sera seront serait étais était étaient
    fut furent ai as avons avez ont aurai aura auront aurait avais avait avaient eut eurent cette cet ceci cela ça
    comme plus ainsi aussi donc alors lors tout tous toute toutes selon après avant entre sans sous vers chez dont
    où si non bien très déjà encore`),
  es: list(`de la que el en y a los del se las por un para con no una su al lo como más pero sus le ya o este sí
    porque esta entre cuando muy sin sobre también me hasta hay donde quien desde todo nos durante todos uno les ni
    contra otros ese eso ante ellos e esto mí antes algunos qué unos yo otro otras otra él tanto esa estos mucho
    quienes nada muchos cual poco ella estar estas algunas algo nosotros mi mis tú te ti tu tus ellas nosotras os
    es son fue era eran han ha he había habían ser sido está están estaba estado dijo según tras`),
  it: list(`ad al allo ai agli all agl alla alle con col coi da dal dallo dai dagli dall dagl dalla dalle di del
    dello dei degli dell degl della delle in nel nello nei negli nell negl nella nelle su sul sullo sui sugli sull
    sugl sulla sulle per tra contro io tu lui lei noi voi loro mio mia miei mie tuo tua tuoi tue suo sua suoi sue
    nostro nostra nostri nostre vostro vostra vostri vostre mi ti ci vi lo la li le gli ne il un uno una ma ed se
    perché anche come dov dove che chi cui non più quale quanto quanti quanta quante quello quelli quella quelle
    questo questi questa queste si tutto tutti a c e i l o è era erano essere stato stata sono sia ha hanno ho
    aveva avevano fa ha detto secondo dopo prima già ancora`),
  pt: list(`de a o que e do da em um para é com não uma os no se na por mais as dos como mas foi ao ele das tem à
    seu sua ou ser quando muito há nos já está eu também só pelo pela até isso ela entre era depois sem mesmo aos
    ter seus quem nas me esse eles estão você tinha foram essa num nem suas meu às minha têm numa pelos elas havia
    seja qual será nós tenho lhe deles essas esses pelas este fosse dele tu te vocês vos lhes meus minhas teu tua
    teus tuas nosso nossa nossos nossas dela delas esta estes estas aquele aquela aqueles aquelas isto aquilo
    disse segundo sobre após`),
  nl: list(`de en van ik te dat die in een hij het niet zijn is was op aan met als voor had er maar om hem dan zou
    of wat mijn men dit zo door over ze zich bij ook tot je mij uit der daar haar naar heb hoe heeft hebben deze u
    want nog zal me zij nu ge geen omdat iets worden toch al waren veel meer doen toen moet ben zonder kan hun dus
    alles onder ja eens hier wie werd altijd doch wordt wezen kunnen ons zelf tegen na reeds wil kon niets uw iemand
    geweest andere volgens`),
  ar: list(`في من على إلى الى عن مع هذا هذه ذلك تلك التي الذي الذين ما لا لم لن أن ان إن كان كانت قد و أو او ثم
    بين كل بعد قبل حتى عند هو هي هم نحن أنا انا أي اي غير منذ وقال قال وفي ومن كما أيضا ايضا فيه فيها به بها له لها
    إنه انه أنه`),
  zh: list(`的 了 是 在 和 有 我 他 她 它 们 这 那 就 也 都 而 及 与 或 被 对 从 把 让 向 以 之 于 上 中 下 个 不 没 很
    还 又 等 但 并 为 所 其 着 过 吗 呢 吧 啊`),
  ja: list(`の に は を た が で て と し れ さ ある いる も する から な こと として い や れる など なっ ない この
    ため その あっ よう また もの という あり まで られ なる へ か だ これ によって により おり より による ず なり
    られる において ば なかっ なく しかし について せ だっ その後 できる それ う ので なお のみ でき き つ における
    および いう さらに でも ら たり その他 に関する たち ます ん なら`),
};

const NONE: ReadonlySet<string> = new Set();

/** The stop words of a language (lower case), empty for a language without a list. */
export function stopwords(language: string): ReadonlySet<string> {
  return LISTS[baseLanguage(language)] ?? NONE;
}

/** Whether a (lower-cased) word is a stop word of the language. */
export function isStopword(word: string, language: string): boolean {
  return stopwords(language).has(word);
}
