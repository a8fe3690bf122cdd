from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render

from .models import Carrier


def carrier_list(request):
    q = request.GET.get("q", "").strip()
    carriers = Carrier.objects.annotate(spid_count=Count("spids")).prefetch_related("spids")
    if q:
        carriers = carriers.filter(Q(name__icontains=q) | Q(spids__code__iexact=q)).distinct()
    return render(request, "carriers/carrier_list.html", {"carriers": carriers, "q": q})


def carrier_detail(request, pk):
    carrier = get_object_or_404(Carrier.objects.prefetch_related("spids", "contacts"), pk=pk)
    return render(request, "carriers/carrier_detail.html", {"carrier": carrier})
